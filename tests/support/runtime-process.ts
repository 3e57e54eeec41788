import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

import { buildNodeBundle } from '../../scripts/build-node.ts'
import { workerdBin, writeWorkerdConfig } from './workerd-bundle.ts'

/**
 * `workers` is workerd behind `wrangler dev`; `workerd-bundle` is the bundle `npm run deploy`
 * uploads, served by `workerd serve` with the bindings a deploy gives it.
 */
export type RuntimeId = 'node' | 'bun' | 'deno' | 'workers' | 'workerd-bundle'

/** The runtime the app itself reports (both workerd ids are Cloudflare Workers to it). */
export const appRuntimeOf = (runtime: RuntimeId) =>
  runtime === 'workerd-bundle' ? 'workers' : runtime

const root = resolve(import.meta.dirname, '..', '..')
const bin = (name: string) => join(root, 'node_modules', '.bin', name)

/** One bundle per checkout and process: every Node server a test file starts runs the same. */
const nodeBundles = new Map<string, Promise<string>>()
const nodeBundleOf = (checkout: string) => {
  const bundle = nodeBundles.get(checkout) ?? buildNodeBundle(checkout)
  nodeBundles.set(checkout, bundle)
  return bundle
}

/**
 * The command that starts each runtime from its real entry file; for Node, the bundle
 * `npm run start:node` runs, built from the entry of the checkout at `cwd`.
 */
async function commandFor(
  runtime: RuntimeId,
  port: number,
  vars: Record<string, string>,
  cwd: string,
  nodeFromSource: boolean,
): Promise<{ command: string; args: string[]; temporaryDir?: string }> {
  switch (runtime) {
    case 'workerd-bundle': {
      const config = await writeWorkerdConfig(port, vars)
      return { command: workerdBin, args: ['serve', config], temporaryDir: dirname(config) }
    }
    case 'node':
      return nodeFromSource
        ? { command: process.execPath, args: ['--import', 'tsx', 'src/runtime/node.ts'] }
        : { command: process.execPath, args: ['--enable-source-maps', await nodeBundleOf(cwd)] }
    case 'bun':
      return { command: bin('bun'), args: ['src/runtime/bun.ts'] }
    case 'deno':
      return {
        command: bin('deno'),
        args: [
          'run',
          '--allow-net',
          '--allow-env',
          '--allow-read',
          '--allow-write',
          '--allow-sys',
          '--allow-ffi',
          'src/runtime/deno.ts',
        ],
      }
    case 'workers': {
      // Bindings reach workerd as wrangler vars; a private state dir keeps parallel runs apart.
      const varArgs = Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`])
      const state = mkdtempSync(join(tmpdir(), 'outpost-wrangler-'))
      return {
        temporaryDir: state,
        command: process.execPath,
        args: [
          join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js'),
          'dev',
          '--ip',
          '127.0.0.1',
          '--port',
          String(port),
          '--inspector-port',
          '0',
          '--persist-to',
          state,
          '--show-interactive-dev-session=false',
          ...varArgs,
        ],
      }
    }
  }
}

/** A free loopback port (the kernel picks it; the race until we bind again is harmless here). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** A runtime started as a child process, in its own process group so it can be stopped whole. */
export interface RuntimeProcess {
  runtime: RuntimeId
  baseUrl: string
  child: ChildProcess
  /**
   * `performance.now()` when the process was spawned: after anything built for it (Node's
   * bundle), so a bench timing a start from here counts the start, not the build.
   */
  spawnedAt: number
  /** Everything it printed so far (stdout and stderr interleaved). */
  log(): string
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>
  /** Sends a signal to the whole process group. */
  signal(signal: NodeJS.Signals): void
  /** SIGTERM, then SIGKILL after a grace period; resolves when it has exited. */
  stop(): Promise<void>
}

/**
 * Starts a runtime with the given bindings (PORT/HOST are filled in). `cwd` runs another
 * checkout's entry file (a benchmark's baseline); it needs its own or a linked node_modules.
 * `nodeFromSource` runs Node's entry through `tsx` instead of the bundle, as checkouts from
 * before the bundle did (a baseline that has no `npm run build:node`).
 */
export async function startRuntime(
  runtime: RuntimeId,
  vars: Record<string, string> = {},
  options: { cwd?: string; nodeFromSource?: boolean } = {},
): Promise<RuntimeProcess> {
  const port = await freePort()
  const { command, args, temporaryDir } = await commandFor(
    runtime,
    port,
    vars,
    options.cwd ?? root,
    options.nodeFromSource ?? false,
  )
  // Each process gets its own embedded database, removed when it exits (also when it exits on
  // its own, as with a bad configuration), together with wrangler's or workerd's config folder.
  const dataDir = mkdtempSync(join(tmpdir(), 'outpost-data-'))
  const removeTemporary = () => {
    for (const dir of [dataDir, temporaryDir]) {
      if (dir) rmSync(dir, { recursive: true, force: true })
    }
  }
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    ...vars,
    PORT: vars.PORT ?? String(port),
    HOST: '127.0.0.1',
    WRANGLER_SEND_METRICS: 'false',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  }
  const spawnedAt = performance.now()
  const child = spawn(command, args, {
    cwd: options.cwd ?? root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const exited = new Promise<number | string>((done) => {
    child.once('exit', (code, signal) => {
      removeTemporary()
      done(code ?? signal ?? 'unknown')
    })
    child.once('error', (error) => {
      output += `\n[spawn error] ${error.message}`
      removeTemporary()
      done('spawn-error')
    })
  })
  const signal = (name: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null) return
    try {
      process.kill(-child.pid, name)
    } catch {
      // Already gone.
    }
  }
  return {
    runtime,
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    spawnedAt,
    log: () => output,
    exited,
    signal,
    async stop() {
      signal('SIGTERM')
      const timer = setTimeout(() => signal('SIGKILL'), 8000)
      await exited
      clearTimeout(timer)
      // wrangler leaves workerd in the group; make sure nothing outlives the test.
      signal('SIGKILL')
      removeTemporary()
    },
  }
}

/**
 * Polls `/healthz` until it answers 200. Rejects with the process log when the process exits
 * first or `timeoutMs` passes, so a runtime that cannot start fails loudly with its output.
 */
export async function waitUntilReady(proc: RuntimeProcess, timeoutMs = 90_000): Promise<number> {
  const started = performance.now()
  let exitedWith: number | string | undefined
  void proc.exited.then((code) => {
    exitedWith = code
  })
  while (performance.now() - started < timeoutMs) {
    if (exitedWith !== undefined) {
      throw new Error(`${proc.runtime} exited (${exitedWith}) before it was ready:\n${proc.log()}`)
    }
    try {
      const response = await fetch(`${proc.baseUrl}/healthz`, { signal: AbortSignal.timeout(1000) })
      if (response.status === 200) return Math.round(performance.now() - started)
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${proc.runtime} was not ready within ${timeoutMs} ms:\n${proc.log()}`)
}
