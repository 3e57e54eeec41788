/**
 * What the limits add to a request: `/v1/chat/completions` (demo model, no delay, in process
 * through `app.request`) with and without limits, on the in-memory stores and on Upstash
 * Redis (through the local bridge to the machine's Redis), side by side in one run.
 *   npx tsx bench/limits/limits.ts [--requests 400]
 * Each pair of configurations shares its stores, so the ratio isolates the limiter: the
 * Upstash baseline also keeps its run log in Redis. Requests alternate between the two
 * apps of a pair, so drift on a loaded machine hits both alike. Prints p50 and p99 in ms and
 * the ratios limited / unlimited.
 */
import { createApp } from '../../src/app.ts'
import { hashApiKey } from '../../src/core/auth/api-key-secret.ts'
import { parseConfig } from '../../src/core/config.ts'
import { createServices } from '../../src/core/services.ts'
import { createBackgroundTasks } from '../../src/runtime/background-tasks.ts'
import { serviceAvailable } from '../../tests/support/services.ts'
import { startUpstashRedisBridge } from '../../tests/support/upstash-redis-bridge.ts'

const args = process.argv.slice(2)
const at = args.indexOf('--requests')
const requests = at >= 0 ? Number(args[at + 1]) : 400
const secret = `op_bench_${crypto.randomUUID()}`
const limits = {
  LIMIT_RPM: '1000000',
  LIMIT_TPM: '1000000000',
  LIMIT_CONCURRENT_RUNS: '1000',
  LIMIT_USD_PER_DAY: '1000',
  LIMIT_USD_PER_MONTH: '10000',
}

async function appWith(bindings: Record<string, string>) {
  const env = {
    LOG_LEVEL: 'error',
    DEMO_WORD_DELAY_MS: '0',
    API_KEY_HASHES: `bench:${await hashApiKey(secret)}`,
    ...bindings,
  }
  const platform = { runtime: 'node' as const, hasFileSystem: false }
  const services = await createServices(parseConfig(env), platform)
  const app = createApp({ platform, services: async () => services })
  const background = createBackgroundTasks()
  return async () => {
    const response = await app.request(
      '/v1/chat/completions',
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          model: 'auto',
          max_tokens: 64,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      },
      env,
      background,
    )
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`)
    await response.text()
  }
}

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0

async function pair(name: string, stores: Record<string, string>) {
  const plain = await appWith(stores)
  const limited = await appWith({ ...stores, ...limits })
  for (let i = 0; i < 30; i++) {
    await plain()
    await limited()
  }
  const samples = { plain: [] as number[], limited: [] as number[] }
  for (let i = 0; i < requests; i++) {
    // Alternate which goes first, so neither always follows the other's background work.
    const order = i % 2 === 0 ? (['plain', 'limited'] as const) : (['limited', 'plain'] as const)
    for (const which of order) {
      const start = performance.now()
      await (which === 'plain' ? plain : limited)()
      samples[which].push(performance.now() - start)
    }
  }
  const p = (list: number[]) => {
    const sorted = [...list].sort((a, b) => a - b)
    return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) }
  }
  const base = p(samples.plain)
  const lim = p(samples.limited)
  return {
    stores: name,
    'no limits p50': base.p50.toFixed(2),
    'no limits p99': base.p99.toFixed(2),
    'limits p50': lim.p50.toFixed(2),
    'limits p99': lim.p99.toFixed(2),
    'ratio p50': (lim.p50 / base.p50).toFixed(2),
    'ratio p99': (lim.p99 / base.p99).toFixed(2),
    'added p50 ms': (lim.p50 - base.p50).toFixed(2),
  }
}

const rows = [await pair('in-memory', {})]
if (await serviceAvailable('redis')) {
  const bridge = await startUpstashRedisBridge({})
  try {
    rows.push(
      await pair('upstash (bridge)', {
        UPSTASH_REDIS_REST_URL: bridge.url,
        UPSTASH_REDIS_REST_TOKEN: bridge.token,
      }),
    )
  } finally {
    await bridge.close()
  }
} else {
  console.log('Redis is not running: the Upstash row is skipped.')
}
console.log(`/v1/chat/completions, ${requests} sequential requests per cell (ms)`)
console.table(rows)
process.exit(0)
