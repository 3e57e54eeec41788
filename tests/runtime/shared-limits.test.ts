import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashApiKey } from '../../src/core/auth/api-key-secret.ts'
import { type RuntimeProcess, startRuntime, waitUntilReady } from '../support/runtime-process.ts'
import { serviceAvailable } from '../support/services.ts'
import {
  startUpstashRedisBridge,
  type UpstashRedisBridge,
} from '../support/upstash-redis-bridge.ts'

const redisUp = await serviceAvailable('redis')

/**
 * Limits hold across processes and runtimes: Bun and Node, each with its own embedded
 * database but one Redis (through the Upstash bridge), count one key against one limit.
 */
describe.skipIf(!redisUp)('one limit across Bun and Node sharing one Redis', () => {
  let redis: UpstashRedisBridge
  const runtimes: RuntimeProcess[] = []
  const rpmKey = `op_rpm_${crypto.randomUUID()}`
  const tpmKey = `op_tpm_${crypto.randomUUID()}`

  beforeAll(async () => {
    redis = await startUpstashRedisBridge({})
    const vars = {
      UPSTASH_REDIS_REST_URL: redis.url,
      UPSTASH_REDIS_REST_TOKEN: redis.token,
      API_KEY_HASHES: `rpm-user:${await hashApiKey(rpmKey)},tpm-user:${await hashApiKey(tpmKey)}`,
      LIMIT_RPM: '5',
      LIMIT_TPM: '3000',
      // Runs last a few seconds, so none settles (and frees tokens) while others are admitted.
      DEMO_WORD_DELAY_MS: '150',
      LOG_LEVEL: 'error',
    }
    for (const runtime of ['bun', 'node'] as const) runtimes.push(await startRuntime(runtime, vars))
    await Promise.all(runtimes.map((proc) => waitUntilReady(proc)))
  }, 120_000)

  afterAll(async () => {
    await Promise.all(runtimes.map((proc) => proc.stop()))
    await redis?.close()
  })

  const complete = (proc: RuntimeProcess, key: string, maxTokens: number) =>
    fetch(`${proc.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        model: 'auto',
        max_tokens: maxTokens,
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    })

  it('refuses the sixth request of a minute, whichever process gets it', async () => {
    // The sliding window weighs the previous minute's count: starting well inside a minute
    // keeps all six requests in one bucket, so the count is exact.
    const left = 60_000 - (Date.now() % 60_000)
    if (left < 30_000) await new Promise((resolve) => setTimeout(resolve, left + 50))
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      const response = await complete(runtimes[i % 2] as RuntimeProcess, rpmKey, 10)
      statuses.push(response.status)
      if (response.status === 429) {
        expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('0')
        expect(response.headers.get('RateLimit-Policy')).toContain('"rpm";q=5;w=60')
      }
      await response.body?.cancel()
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429])
    // The other process agrees.
    const other = await complete(runtimes[0] as RuntimeProcess, rpmKey, 10)
    expect(other.status).toBe(429)
    await other.body?.cancel()
  }, 100_000)

  it('admits parallel requests on both processes within one token budget', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        complete(runtimes[i % 2] as RuntimeProcess, tpmKey, 1000),
      ),
    )
    const admitted = responses.filter((r) => r.status === 200).length
    const codes = await Promise.all(
      responses.map(async (r) => {
        if (r.status === 200) {
          await r.body?.cancel()
          return 'ok'
        }
        return ((await r.json()) as { error: { code: string } }).error.code
      }),
    )
    // Each reserves about 1003 tokens of 3000: the cap is passed by one reservation at most.
    expect(admitted).toBeGreaterThanOrEqual(1)
    expect(admitted * 1003).toBeLessThanOrEqual(3000 + 1003)
    expect(codes).toContain('tokens_rate_limited')
  }, 60_000)
})
