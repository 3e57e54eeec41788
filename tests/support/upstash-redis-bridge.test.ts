import { createHash, randomUUID } from 'node:crypto'
import { createServer } from 'node:net'
import { Ratelimit } from '@upstash/ratelimit'
import { Redis } from '@upstash/redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serviceAvailable } from './services.ts'
import { startUpstashRedisBridge, type UpstashRedisBridge } from './upstash-redis-bridge.ts'

const ok = await serviceAvailable('redis')
const prefix = `test:bridge:${randomUUID()}:`
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex')

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe.skipIf(!ok)('Upstash Redis REST bridge (real Redis)', () => {
  let bridge: UpstashRedisBridge
  let redis: Redis

  beforeAll(async () => {
    bridge = await startUpstashRedisBridge({ token: 'bridge-test-token' })
    // Defaults on purpose: auto-pipelining, base64 responses, automatic deserialization.
    redis = new Redis({
      url: bridge.url,
      token: bridge.token,
      retry: false,
      enableTelemetry: false,
    })
  })
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    await bridge.close()
  })

  it('round-trips objects, emoji and numbers-as-text through the default client', async () => {
    await redis.set(`${prefix}obj`, { name: 'Zoë 🚀 漢字 𝄞', n: 2 })
    await redis.set(`${prefix}ok`, 'OK')
    await redis.set(`${prefix}pong`, 'PONG')
    const [obj, okValue, pong, missing] = await Promise.all([
      redis.get(`${prefix}obj`),
      redis.get(`${prefix}ok`),
      redis.get(`${prefix}pong`),
      redis.get(`${prefix}missing`),
    ])
    expect(obj).toEqual({ name: 'Zoë 🚀 漢字 𝄞', n: 2 })
    expect(okValue).toBe('OK')
    expect(pong).toBe('PONG')
    expect(missing).toBeNull()
  })

  it('base64-encodes status replies other than OK (PONG, TYPE)', async () => {
    await redis.rpush(`${prefix}list`, 'a', 'b')
    expect(await redis.ping()).toBe('PONG')
    expect(await redis.type(`${prefix}list`)).toBe('list')
    expect(await redis.lrange(`${prefix}list`, 0, -1)).toEqual(['a', 'b'])
  })

  it('answers without base64 when the client asks for plain responses', async () => {
    const plain = new Redis({
      url: bridge.url,
      token: bridge.token,
      retry: false,
      responseEncoding: false,
      enableAutoPipelining: false,
    })
    await plain.set(`${prefix}plain`, 'héllo')
    expect(await plain.get(`${prefix}plain`)).toBe('héllo')
    expect(await plain.ping()).toBe('PONG')
  })

  it('runs pipelines with per-command errors and transactions atomically', async () => {
    const pipeline = redis.pipeline()
    pipeline.set(`${prefix}p`, 'text')
    pipeline.incr(`${prefix}p`)
    pipeline.get(`${prefix}p`)
    const results = await pipeline.exec({ keepErrors: true })
    expect(results[0]).toEqual({ result: 'OK', error: undefined })
    expect(results[1]?.error).toMatch(/not an integer/)
    expect(results[2]?.result).toBe('text')

    const tx = redis.multi()
    tx.incrby(`${prefix}counter`, 5)
    tx.incrby(`${prefix}counter`, 2)
    expect(await tx.exec()).toEqual([5, 7])
  })

  it('rejects a discarded transaction as one error', async () => {
    // An unknown command is refused at queue time, so EXEC aborts the whole transaction.
    const res = await fetch(`${bridge.url}/multi-exec`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bridge.token}` },
      body: JSON.stringify([['set', `${prefix}tx`, '1'], ['nosuchcommand']]),
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: expect.stringMatching(/^EXECABORT/) })
    expect(await redis.exists(`${prefix}tx`)).toBe(0)
  })

  it('passes NOSCRIPT through so createScript falls back to EVAL, then uses EVALSHA', async () => {
    const script = redis.createScript<number>(`return redis.call('INCRBY', KEYS[1], ARGV[1])`)
    expect(await script.exec([`${prefix}script`], ['3'])).toBe(3)
    expect(await script.exec([`${prefix}script`], ['4'])).toBe(7)
    await expect(redis.evalsha('0'.repeat(40), [], [])).rejects.toThrow(/NOSCRIPT/)
  })

  it('strips allow-key-locking and maps the original hash for EVALSHA and SCRIPT LOAD', async () => {
    const flagged = `#!lua flags=allow-key-locking\nreturn redis.call('INCR', KEYS[1])`
    await expect(redis.evalsha(sha1(flagged), [`${prefix}flag`], [])).rejects.toThrow(/NOSCRIPT/)
    expect(await redis.eval(flagged, [`${prefix}flag`], [])).toBe(1)
    expect(await redis.evalsha(sha1(flagged), [`${prefix}flag`], [])).toBe(2)

    const other = `#!lua flags=no-writes,allow-key-locking\nreturn redis.call('GET', KEYS[1])`
    expect(await redis.scriptLoad(other)).toBe(sha1(other))
    expect(await redis.evalsha(sha1(other), [`${prefix}flag`], [])).toBe(2)
  })

  it('lets @upstash/ratelimit 2.2 slidingWindow allow 3 then deny', async () => {
    const ratelimit = new Ratelimit({
      redis,
      limiter: Ratelimit.slidingWindow(3, '60 s'),
      prefix: `${prefix}rl`,
    })
    const outcomes: boolean[] = []
    for (let i = 0; i < 4; i++) outcomes.push((await ratelimit.limit('user-1')).success)
    expect(outcomes).toEqual([true, true, true, false])
  })

  it('rejects a wrong token with 401 JSON', async () => {
    const res = await fetch(bridge.url, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong' },
      body: '["ping"]',
    })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: 'Unauthorized' })
    const wrong = new Redis({ url: bridge.url, token: 'wrong', retry: false })
    await expect(wrong.get(`${prefix}x`)).rejects.toThrow(/Unauthorized/)
  })

  it('answers 400 with the Redis error for a failing single command', async () => {
    const res = await fetch(bridge.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${bridge.token}` },
      body: JSON.stringify(['get']),
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatch(/wrong number of arguments/)
  })

  it('answers 503 when Redis itself is unreachable', async () => {
    const orphan = await startUpstashRedisBridge({ redisPort: await closedPort(), token: 't' })
    try {
      const res = await fetch(orphan.url, {
        method: 'POST',
        headers: { authorization: 'Bearer t' },
        body: '["ping"]',
      })
      expect(res.status).toBe(503)
      expect((await res.json()).error).toMatch(/Service Unavailable/)
    } finally {
      await orphan.close()
    }
  })
})
