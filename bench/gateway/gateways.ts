/**
 * The gateways `bench:gateway` puts side by side, each started from its real entry on the
 * same mock upstream: Outpost, the Portkey AI Gateway (a devDependency) and the mock itself.
 */
import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { hashApiKey, newApiKeySecret } from '../../src/core/auth/api-key-secret.ts'
import { freePort, type RuntimeId, startRuntime } from '../../tests/support/runtime-process.ts'
import type { LoadTarget } from './load.ts'

const root = resolve(import.meta.dirname, '..', '..')
const bunBin = join(root, 'node_modules', '.bin', 'bun')
const portkeyEntry = join(
  root,
  'node_modules',
  '@portkey-ai',
  'gateway',
  'build',
  'start-server.js',
)
// On Node, Portkey's streams fail without it (see the file).
const portkeyNodeFetch = join(root, 'bench', 'gateway', 'portkey-node-fetch.mjs')
const bareProxyEntry = join(root, 'bench', 'gateway', 'bare-proxy.ts')
const prompt = 'hi there, how are you doing today?'

/** A gateway under test, the upstream alone, or the bare proxy (the floor of one more hop). */
export interface Gateway {
  name: string
  runtime: 'bun' | 'node' | 'direct'
  kind: 'outpost' | 'portkey' | 'direct' | 'bare'
  url: string
  model: string
  headers: Record<string, string>
  pid?: number
  spawnToFirstMs?: number
  stop(): Promise<void>
}

const body = (gateway: Gateway, stream: boolean) =>
  JSON.stringify({ model: gateway.model, messages: [{ role: 'user', content: prompt }], stream })
export const target = (gateway: Gateway, stream: boolean): LoadTarget => ({
  url: gateway.url,
  headers: gateway.headers,
  body: body(gateway, stream),
})

/** Polls a chat completion through the gateway until one answers 200; ms since `spawnedAt`. */
async function firstCompletion(gateway: Gateway, spawnedAt: number, exited: () => boolean) {
  while (performance.now() - spawnedAt < 120_000) {
    if (exited()) throw new Error(`${gateway.name} exited before its first completion`)
    try {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...gateway.headers },
        body: body(gateway, false),
        signal: AbortSignal.timeout(5000),
      })
      await response.arrayBuffer()
      if (response.status === 200) return Math.round(performance.now() - spawnedAt)
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`${gateway.name}: no completion within 120 s`)
}

export async function startOutpost(runtime: RuntimeId & ('bun' | 'node'), mockUrl: string) {
  const secret = newApiKeySecret()
  const app = await startRuntime(runtime, {
    OPENAI_BASE_URL: `${mockUrl}/v1`,
    LOCAL_MODEL: 'mock-1',
    API_KEY_HASHES: `bench:${await hashApiKey(secret)}`,
    LOG_LEVEL: 'error',
  })
  let gone = false
  void app.exited.then(() => {
    gone = true
  })
  const gateway: Gateway = {
    name: `outpost ${runtime}`,
    runtime,
    kind: 'outpost',
    url: `${app.baseUrl}/v1/chat/completions`,
    model: 'local:mock-1',
    headers: { Authorization: `Bearer ${secret}` },
    pid: app.child.pid,
    stop: () => app.stop(),
  }
  try {
    // From the spawn, after Node's bundle is built: Portkey's start counts no build either.
    gateway.spawnToFirstMs = await firstCompletion(gateway, app.spawnedAt, () => gone)
  } catch (error) {
    console.error(app.log())
    throw error
  }
  return gateway
}

export async function startPortkey(runtime: 'bun' | 'node', mockUrl: string) {
  const port = await freePort()
  const command = runtime === 'bun' ? bunBin : process.execPath
  return startProcess(
    {
      name: `portkey ${runtime}`,
      runtime,
      kind: 'portkey',
      url: `http://127.0.0.1:${port}/v1/chat/completions`,
      model: 'mock-1',
      headers: {
        Authorization: 'Bearer mock',
        'x-portkey-provider': 'openai',
        'x-portkey-custom-host': `${mockUrl}/v1`,
      },
    },
    command,
    [
      ...(runtime === 'node' ? ['--import', portkeyNodeFetch] : []),
      portkeyEntry,
      `--port=${port}`,
      '--headless',
    ],
  )
}

/** `bare-proxy.ts` on `runtime`: the floor for the time a gateway adds to the first byte. */
export async function startBareProxy(runtime: 'bun' | 'node', mockUrl: string) {
  const port = await freePort()
  const args = runtime === 'bun' ? [bareProxyEntry] : ['--import', 'tsx', bareProxyEntry]
  return startProcess(
    {
      name: `bare proxy ${runtime}`,
      runtime,
      kind: 'bare',
      url: `http://127.0.0.1:${port}/`,
      model: 'mock-1',
      headers: {},
    },
    runtime === 'bun' ? bunBin : process.execPath,
    args,
    { PORT: String(port), UPSTREAM_URL: `${mockUrl}/v1/chat/completions` },
  )
}

/** Spawns a gateway that is not Outpost, in its own process group, and times its start. */
async function startProcess(
  described: Omit<Gateway, 'stop' | 'pid'>,
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Gateway> {
  const spawnedAt = performance.now()
  const child = spawn(command, args, {
    cwd: root,
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, ...env },
  })
  const exited = new Promise((done) => child.once('exit', done))
  const gateway: Gateway = {
    ...described,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM')
      await exited
    },
  }
  gateway.spawnToFirstMs = await firstCompletion(gateway, spawnedAt, () => child.exitCode !== null)
  return gateway
}
