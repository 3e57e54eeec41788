// The one way the Workers bundle is built. `npm run deploy` runs `wrangler deploy` with these
// arguments (wrangler builds, writes the bundle to the outdir and uploads it); the
// workerd-bundle runtime test runs the same with `--dry-run`, which builds byte for byte the
// same file without uploading, and serves that file with the production runtime.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'

export const root = resolve(import.meta.dirname, '..')
export const wranglerBin = join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js')
/** Where `npm run deploy` leaves the bundle it uploaded. */
export const deployOutdir = join(root, 'dist', 'worker')
/** The bundle's file name: wrangler names it after `main` in wrangler.toml. */
export const bundleFile = 'workers.js'

/** `wrangler deploy` arguments; `extra` are the operator's own (routes, `--env`, ...). */
export function wranglerDeployArgs(options: {
  outdir: string
  dryRun: boolean
  extra?: readonly string[]
}): string[] {
  return [
    'deploy',
    '--outdir',
    options.outdir,
    ...(options.dryRun ? ['--dry-run'] : []),
    ...(options.extra ?? []),
  ]
}

/** A built bundle: its path and sizes (what Cloudflare counts against the limits). */
export interface WorkerBundle {
  path: string
  bytes: number
  gzipBytes: number
}

/** Builds the bundle exactly as a deploy does, without uploading. */
export async function buildWorkerBundle(outdir: string): Promise<WorkerBundle> {
  await promisify(execFile)(
    process.execPath,
    [wranglerBin, ...wranglerDeployArgs({ outdir, dryRun: true })],
    { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, timeout: 120_000 },
  )
  return describeBundle(join(outdir, bundleFile))
}

/** Sizes of a bundle on disk. */
export function describeBundle(path: string): WorkerBundle {
  const code = readFileSync(path)
  return { path, bytes: code.length, gzipBytes: gzipSync(code).length }
}
