import { loadavg } from 'node:os'
import { resolve } from 'node:path'
import { hashApiKey, newApiKeySecret } from '../../src/core/auth/api-key-secret.ts'
import { startMockLlmProcess } from '../../tests/support/mock-llm/mock-process.ts'
import { startRuntime } from '../../tests/support/runtime-process.ts'
import { cpuMs, processTree } from '../startup/process-tree.ts'
import { firstByteTimes } from './first-bytes.ts'
import { wrkLoad } from './load.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? String(args[at + 1]) : fallback
}
const runtime = option('runtime', 'bun') as 'bun' | 'node'
const baseline = resolve(option('baseline', '/work/main'))
const clients = Number(option('clients', '200'))
const seconds = Number(option('seconds', '4'))
const rounds = Number(option('rounds', '4'))
const _root = resolve(import.meta.dirname, '..', '..')
const mock = await startMockLlmProcess()
const secret = newApiKeySecret()
const vars = {
  OPENAI_BASE_URL: `${mock.url}/v1`,
  LOCAL_MODEL: 'mock-1',
  API_KEY_HASHES: `bench:${await hashApiKey(secret)}`,
  LOG_LEVEL: 'error',
}
const apps = [
  { name: 'baseline', app: await startRuntime(runtime, vars, { cwd: baseline }) },
  { name: 'this', app: await startRuntime(runtime, vars) },
]
const body = JSON.stringify({
  model: 'local:mock-1',
  messages: [{ role: 'user', content: 'hi there, how are you doing today?' }],
  stream: true,
})
const totals = new Map(apps.map((a) => [a.name, { streams: 0, seconds: 0, cpu: 0, errors: 0 }]))
try {
  for (const { app } of apps) {
    // Warm up (and wait until it listens).
    for (let i = 0; i < 100; i++) {
      try {
        const response = await fetch(`${app.baseUrl}/v1/chat/completions`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
          body,
        })
        await response.text()
        if (response.ok) break
      } catch {
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    await wrkLoad(
      {
        url: `${app.baseUrl}/v1/chat/completions`,
        headers: { Authorization: `Bearer ${secret}` },
        body,
      },
      clients,
      2,
    )
  }
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? apps : [...apps].reverse()
    for (const { name, app } of order) {
      const before = cpuMs(processTree(app.child.pid ?? 0))
      const result = await wrkLoad(
        {
          url: `${app.baseUrl}/v1/chat/completions`,
          headers: { Authorization: `Bearer ${secret}` },
          body,
        },
        clients,
        seconds,
      )
      const total = totals.get(name) as {
        streams: number
        seconds: number
        cpu: number
        errors: number
      }
      total.cpu += cpuMs(processTree(app.child.pid ?? 0)) - before
      total.streams += result.requests
      total.seconds += result.seconds
      total.errors += result.errors
    }
  }
  // Time to first byte at one client: alternating batches of sequential requests, p50.
  const firstBytes = new Map(apps.map((a) => [a.name, [] as number[]]))
  for (let round = 0; round < rounds; round++) {
    for (const { name, app } of round % 2 === 0 ? apps : [...apps].reverse()) {
      const target = {
        url: `${app.baseUrl}/v1/chat/completions`,
        headers: { Authorization: `Bearer ${secret}` },
        body,
      }
      firstBytes.get(name)?.push(...(await firstByteTimes(target, 50)).times)
    }
  }
  const p50 = (name: string) => {
    const sorted = [...(firstBytes.get(name) ?? [])].sort((a, b) => a - b)
    return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
  }
  const line = (name: string) => {
    const t = totals.get(name) as { streams: number; seconds: number; cpu: number; errors: number }
    return { rate: t.streams / t.seconds, cpuPer: t.cpu / t.streams, errors: t.errors }
  }
  const base = line('baseline')
  const mine = line('this')
  console.log(
    `${runtime}, ${clients} clients, ${rounds}×${seconds}s, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  )
  console.log(
    `baseline: ${base.rate.toFixed(0)} streams/s, ${base.cpuPer.toFixed(3)} CPU ms/stream, errors ${base.errors}`,
  )
  console.log(
    `this:     ${mine.rate.toFixed(0)} streams/s, ${mine.cpuPer.toFixed(3)} CPU ms/stream, errors ${mine.errors}`,
  )
  console.log(
    `first byte p50 at one client: baseline ${p50('baseline').toFixed(2)} ms, this ${p50('this').toFixed(2)} ms`,
  )
  console.log(
    `ratio this/baseline: streams/s ${(mine.rate / base.rate).toFixed(2)}, CPU/stream ${(mine.cpuPer / base.cpuPer).toFixed(2)}`,
  )
} finally {
  for (const { app } of apps) await app.stop()
  mock.child.kill('SIGTERM')
}
