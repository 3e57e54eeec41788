import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  buildWorkerBundle,
  bundleFile,
  root,
  type WorkerBundle,
} from '../../scripts/worker-bundle.ts'
import { assetManifest, assetRouterSource } from './workerd-assets.ts'

/** The production runtime binary, from the `workerd` package wrangler itself depends on. */
export const workerdBin = join(root, 'node_modules', 'workerd', 'bin', 'workerd')

let built: Promise<WorkerBundle> | undefined

/**
 * The bundle `npm run deploy` uploads, built once per test process by the same command
 * (`wrangler deploy --dry-run --outdir`, see scripts/worker-bundle.ts).
 */
export function deployBundle(): Promise<WorkerBundle> {
  built ??= buildWorkerBundle(mkdtempSync(join(tmpdir(), 'outpost-bundle-')))
  return built
}

/** What a deploy gives the Worker, from wrangler.toml through wrangler's own reader. */
async function deployedSettings() {
  const { unstable_readConfig } = await import('wrangler')
  const config = unstable_readConfig({ config: join(root, 'wrangler.toml') })
  return {
    compatibilityDate: config.compatibility_date ?? '',
    compatibilityFlags: config.compatibility_flags,
    vars: config.vars as Record<string, string>,
    assets: resolve(root, config.assets?.directory ?? 'public'),
  }
}

const text = (value: string) => JSON.stringify(value)

/**
 * Writes a workerd config that serves the deploy bundle on 127.0.0.1:`port` the way
 * Cloudflare runs it: the bundle as an ES module Worker with wrangler.toml's compatibility
 * date and flags, its `[vars]` plus `vars` as text bindings (secrets and vars both arrive as
 * text), and public/ as Workers Assets in front (see workerd-assets.ts). Outbound fetches may
 * reach loopback, where the test's Upstash and Neon stand-ins listen. Returns the file.
 */
export async function writeWorkerdConfig(
  port: number,
  vars: Record<string, string>,
): Promise<string> {
  const bundle = await deployBundle()
  const settings = await deployedSettings()
  const dir = mkdtempSync(join(tmpdir(), 'outpost-workerd-'))
  // workerd embeds files relative to the config; the copy is the same bytes.
  copyFileSync(bundle.path, join(dir, bundleFile))
  writeFileSync(join(dir, 'router.js'), assetRouterSource)
  const bindings = Object.entries({ ...settings.vars, ...vars })
    .map(([name, value]) => `(name = ${text(name)}, text = ${text(value)})`)
    .join(',\n    ')
  const manifest = JSON.stringify(assetManifest(settings.assets))
  const config = `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "router", worker = .router),
    (name = "outpost", worker = .outpost),
    (name = "assets", disk = (path = ${text(settings.assets)}, writable = false)),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = ${text(`127.0.0.1:${port}`)}, http = (), service = "router")],
);

const outpost :Workerd.Worker = (
  modules = [(name = ${text(bundleFile)}, esModule = embed ${text(bundleFile)})],
  compatibilityDate = ${text(settings.compatibilityDate)},
  compatibilityFlags = [${settings.compatibilityFlags.map(text).join(', ')}],
  bindings = [
    ${bindings}
  ],
);

const router :Workerd.Worker = (
  modules = [(name = "router.js", esModule = embed "router.js")],
  compatibilityDate = ${text(settings.compatibilityDate)},
  bindings = [
    (name = "ASSETS", service = "assets"),
    (name = "WORKER", service = "outpost"),
    (name = "MANIFEST", json = ${text(manifest)}),
  ],
);
`
  const file = join(dir, 'config.capnp')
  writeFileSync(file, config)
  return file
}
