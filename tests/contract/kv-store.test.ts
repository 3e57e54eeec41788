import { randomUUID } from 'node:crypto'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import { Redis } from '@upstash/redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StoreError } from '../../src/core/errors.ts'
import { createInMemoryKvStore } from '../../src/core/memory/in-memory-kv-store.ts'
import { createUpstashRedisKvStore } from '../../src/core/memory/upstash-redis-kv-store.ts'
import { serviceAvailable } from '../support/services.ts'
import {
  startUpstashRedisBridge,
  type UpstashRedisBridge,
} from '../support/upstash-redis-bridge.ts'
import { kvStoreContract } from './kv-store.contract.ts'

const redisUp = await serviceAvailable('redis')

kvStoreContract('in-memory', async () => {
  let clock = 1_700_000_000_000
  return {
    store: createInMemoryKvStore({ now: () => clock }),
    shortTtlMs: 1_000,
    elapse: async (ms) => {
      clock += ms
    },
  }
})

function upstashClient(url: string, token: string): Redis {
  return new Redis({ url, token, automaticDeserialization: false, retry: false })
}

describe.skipIf(!redisUp)('Upstash Redis through the bridge to the real Redis', () => {
  let bridge: UpstashRedisBridge
  const prefix = `test:kv:${randomUUID()}:`

  beforeAll(async () => {
    bridge = await startUpstashRedisBridge()
  })
  afterAll(async () => {
    await bridge?.close()
  })

  kvStoreContract('upstash-redis', async () => {
    const redis = upstashClient(bridge.url, bridge.token)
    return {
      store: createUpstashRedisKvStore({ redis, prefix }),
      // Long enough that a stalled machine cannot expire a key between two consecutive calls.
      shortTtlMs: 250,
      elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      cleanup: async () => {
        const keys = await redis.keys(`${prefix}*`)
        if (keys.length > 0) await redis.del(...keys)
      },
    }
  })
})

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(StoreError)
  return error as StoreError
}

async function freePort(): Promise<number> {
  const server = createTcpServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function fakeServer(status: number, body: string, type: string): Promise<Server> {
  const server = createHttpServer((_req, res) => {
    res.writeHead(status, { 'content-type': type })
    res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return server
}

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as { port: number }).port}`

const storeAt = (url: string, token = 'token') =>
  createUpstashRedisKvStore({ redis: upstashClient(url, token), prefix: 'test:' })

describe('Upstash Redis KvStore failures become StoreError', () => {
  const servers: Server[] = []
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('is retryable when nothing listens', async () => {
    const store = storeAt(`http://127.0.0.1:${await freePort()}`)
    const error = await failure(store.get('k'))
    expect(error.retryable).toBe(true)
    expect(error.code).toBe('store_unavailable')
    expect(error.cause).toBeDefined()
  })

  it('is not retryable when the server answers garbage', async () => {
    const server = await fakeServer(200, 'this is not JSON', 'text/plain')
    servers.push(server)
    const error = await failure(storeAt(urlOf(server)).set('k', 1))
    expect(error.retryable).toBe(false)
    expect(error.code).toBe('store_malformed_response')
  })

  it('is not retryable when the server answers JSON of the wrong shape', async () => {
    const server = await fakeServer(200, '{"unexpected":true}', 'application/json')
    servers.push(server)
    const error = await failure(storeAt(urlOf(server)).length('k'))
    expect(error.retryable).toBe(false)
    expect(error.code).toBe('store_malformed_response')
  })

  it('is retryable when a gateway answers 5xx', async () => {
    const html = '<html><head><title>502 Bad Gateway</title></head></html>'
    const gateway = await fakeServer(502, html, 'text/html')
    const unavailable = await fakeServer(503, '{"error":"Service Unavailable"}', 'application/json')
    servers.push(gateway, unavailable)
    expect((await failure(storeAt(urlOf(gateway)).get('k'))).retryable).toBe(true)
    expect((await failure(storeAt(urlOf(unavailable)).get('k'))).retryable).toBe(true)
  })

  it('refuses a client that would deserialise values itself', () => {
    const redis = new Redis({ url: 'http://127.0.0.1:1', token: 't', retry: false })
    expect(() => createUpstashRedisKvStore({ redis, prefix: '' })).toThrow(StoreError)
  })
})

describe.skipIf(!redisUp)('Upstash Redis KvStore failures through the bridge', () => {
  let bridge: UpstashRedisBridge
  beforeAll(async () => {
    bridge = await startUpstashRedisBridge()
  })
  afterAll(() => bridge?.close())

  it('is not retryable with a wrong token', async () => {
    const error = await failure(storeAt(bridge.url, 'wrong-token').increment('k'))
    expect(error.retryable).toBe(false)
    expect(error.code).toBe('store_unauthorized')
  })

  it('is retryable when Redis behind the bridge is down', async () => {
    const orphan = await startUpstashRedisBridge({ redisPort: await freePort() })
    try {
      const error = await failure(storeAt(orphan.url, orphan.token).get('k'))
      expect(error.retryable).toBe(true)
    } finally {
      await orphan.close()
    }
  })
})
