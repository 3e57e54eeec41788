import { randomUUID } from 'node:crypto'
import { Redis } from '@upstash/redis'
import { afterAll, beforeAll, describe } from 'vitest'
import { createKvLimiter } from '../../src/core/limits/kv-limiter.ts'
import type { SlidingWindow } from '../../src/core/limits/limiter.ts'
import { createUpstashLimiter } from '../../src/core/limits/upstash-limiter.ts'
import { createInMemoryKvStore } from '../../src/core/memory/in-memory-kv-store.ts'
import { createUpstashRedisKvStore } from '../../src/core/memory/upstash-redis-kv-store.ts'
import { serviceAvailable } from '../support/services.ts'
import {
  startUpstashRedisBridge,
  type UpstashRedisBridge,
} from '../support/upstash-redis-bridge.ts'
import { limiterContract } from './limiter.contract.ts'

const redisUp = await serviceAvailable('redis')
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

limiterContract('in-memory', async () => {
  // Starts a few seconds into a minute, so no test meets a bucket's end unless it moves time.
  let clock = Date.UTC(2026, 10, 30, 12, 0, 1)
  return {
    limiter: createKvLimiter({ kv: createInMemoryKvStore({ now: () => clock }), now: () => clock }),
    elapse: async (ms) => {
      clock += ms
    },
    roomInWindow: async (window: SlidingWindow, ms: number) => {
      const left = window.ms - (clock % window.ms)
      if (left < ms) clock += left + 1
    },
    shortWindowMs: 1000,
  }
})

describe.skipIf(!redisUp)('Upstash Redis through the bridge to the real Redis', () => {
  let bridge: UpstashRedisBridge
  const kvPrefix = `test:limits:${randomUUID()}:`

  beforeAll(async () => {
    bridge = await startUpstashRedisBridge()
  })
  afterAll(async () => {
    await bridge?.close()
  })

  limiterContract('upstash-redis', async () => {
    const redis = new Redis({
      url: bridge.url,
      token: bridge.token,
      automaticDeserialization: false,
      enableTelemetry: false,
      retry: false,
    })
    const kv = createUpstashRedisKvStore({ redis, prefix: kvPrefix })
    return {
      limiter: createUpstashLimiter({ redis, kv, kvPrefix }),
      elapse: sleep,
      roomInWindow: async (window: SlidingWindow, ms: number) => {
        const left = window.ms - (Date.now() % window.ms)
        if (left < ms) await sleep(left + 5)
      },
      shortWindowMs: 1000,
      cleanup: async () => {
        const keys = await redis.keys(`${kvPrefix}*`)
        if (keys.length > 0) await redis.del(...keys)
      },
    }
  })
})
