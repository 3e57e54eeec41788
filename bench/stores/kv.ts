import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { Redis } from '@upstash/redis'
import { createInMemoryKvStore } from '../../src/core/memory/in-memory-kv-store.ts'
import type { KvStore } from '../../src/core/memory/kv-store.ts'
import { createUpstashRedisKvStore } from '../../src/core/memory/upstash-redis-kv-store.ts'
import { serviceAvailable } from '../../tests/support/services.ts'
import { startUpstashRedisBridge } from '../../tests/support/upstash-redis-bridge.ts'

/**
 * KV get/set throughput: in-memory vs Upstash Redis through the local REST bridge to the
 * machine's Redis, measured in one run. Every case is bounded by an operation count and a
 * time budget, so the run always ends. `npx tsx bench/stores/kv.ts`
 */

interface Case {
  store: string
  op: 'set' | 'get'
  inFlight: number
  ops: number
  seconds: number
}

const KEYS = 1000
const BUDGET_MS = 4000
const value = { role: 'assistant', text: 'A short remembered sentence, about 80 bytes of JSON.' }

async function measure(
  store: KvStore,
  name: string,
  op: 'set' | 'get',
  inFlight: number,
  maxOps: number,
): Promise<Case> {
  const run = (i: number) =>
    op === 'set' ? store.set(`k${i % KEYS}`, value) : store.get(`k${i % KEYS}`)
  for (let i = 0; i < Math.min(200, maxOps); i++) await run(i) // warm-up
  let done = 0
  const start = performance.now()
  while (done < maxOps && performance.now() - start < BUDGET_MS) {
    const batch = Math.min(inFlight, maxOps - done)
    await Promise.all(Array.from({ length: batch }, (_, j) => run(done + j)))
    done += batch
  }
  return { store: name, op, inFlight, ops: done, seconds: (performance.now() - start) / 1000 }
}

const rate = (c: Case) => c.ops / c.seconds
const results: Case[] = []

const memory = createInMemoryKvStore({ maxEntries: KEYS * 2 })
for (const op of ['set', 'get'] as const)
  results.push(await measure(memory, 'in-memory', op, 1, 300_000))

if (await serviceAvailable('redis')) {
  const bridge = await startUpstashRedisBridge()
  const prefix = `bench:kv:${randomUUID()}:`
  const redis = new Redis({
    url: bridge.url,
    token: bridge.token,
    automaticDeserialization: false,
    retry: false,
    enableTelemetry: false,
  })
  const upstash = createUpstashRedisKvStore({ redis, prefix })
  try {
    for (const inFlight of [1, 32]) {
      for (const op of ['set', 'get'] as const) {
        results.push(await measure(upstash, 'upstash-bridge', op, inFlight, 20_000))
      }
    }
  } finally {
    const keys = await redis.keys(`${prefix}*`)
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500))
    await bridge.close()
  }
}

const baseline = (op: string) => results.find((c) => c.store === 'in-memory' && c.op === op)
const rows = results.map((c) => {
  const base = baseline(c.op)
  return {
    store: c.store,
    op: c.op,
    'in flight': c.inFlight,
    ops: c.ops,
    'ops/s': Math.round(rate(c)),
    'µs/op': ((c.seconds * 1e6) / c.ops).toFixed(1),
    'in-memory / this': base ? `${(rate(base) / rate(c)).toFixed(0)}x` : '-',
  }
})
console.log(`KV get/set, ${KEYS} keys, ~${JSON.stringify(value).length}-byte JSON values`)
console.table(rows)
