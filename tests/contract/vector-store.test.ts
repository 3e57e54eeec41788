import { randomUUID } from 'node:crypto'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer } from 'node:net'
import { Index } from '@upstash/vector'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StoreError } from '../../src/core/errors.ts'
import { createInMemoryVectorStore } from '../../src/core/memory/in-memory-vector-store.ts'
import { createUpstashVectorStore } from '../../src/core/memory/upstash-vector-store.ts'
import {
  startUpstashVectorEmulator,
  type UpstashVectorEmulator,
} from '../support/upstash-vector-emulator.ts'
import { vectorStoreContract } from './vector-store.contract.ts'

const DIMENSION = 8

vectorStoreContract('in-memory', async () => ({
  store: createInMemoryVectorStore({ dimension: DIMENSION }),
}))

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('Upstash Vector through the emulator', () => {
  let emulator: UpstashVectorEmulator
  beforeAll(async () => {
    emulator = await startUpstashVectorEmulator({ dimension: DIMENSION })
  })
  afterAll(() => emulator?.close())

  for (const namespace of [undefined, `test-${randomUUID()}`]) {
    vectorStoreContract(`upstash-vector (namespace ${namespace ?? 'default'})`, async () => {
      const index = new Index({ url: emulator.url, token: emulator.token, retry: false })
      return {
        store: createUpstashVectorStore({ index, namespace, dimension: DIMENSION }),
        unreachable: async () =>
          createUpstashVectorStore({
            index: new Index({
              url: `http://127.0.0.1:${await closedPort()}`,
              token: 't',
              retry: false,
            }),
            dimension: DIMENSION,
          }),
        cleanup: async () => {
          if (namespace) await index.deleteNamespace(namespace)
          else await index.reset()
        },
      }
    })
  }
})

describe('Upstash VectorStore failures become StoreError', () => {
  let emulator: UpstashVectorEmulator
  let garbage: Server
  beforeAll(async () => {
    emulator = await startUpstashVectorEmulator({ dimension: DIMENSION })
    garbage = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<html>surprise</html>')
    })
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve))
  })
  afterAll(async () => {
    await emulator?.close()
    garbage.closeAllConnections()
    await new Promise((resolve) => garbage.close(resolve))
  })

  const storeAt = (url: string, token: string) =>
    createUpstashVectorStore({
      index: new Index({ url, token, retry: false }),
      dimension: DIMENSION,
    })
  const query = (url: string, token: string) =>
    storeAt(url, token)
      .query(new Array(DIMENSION).fill(1), { filter: { owner: 'o' } })
      .then(
        () => undefined,
        (error: unknown) => error,
      )

  it('is not retryable with a wrong token', async () => {
    const error = await query(emulator.url, 'wrong')
    expect(error).toBeInstanceOf(StoreError)
    expect((error as StoreError).code).toBe('store_unauthorized')
    expect((error as StoreError).retryable).toBe(false)
  })

  it('is not retryable when the server answers garbage', async () => {
    const port = (garbage.address() as { port: number }).port
    const error = await query(`http://127.0.0.1:${port}`, 't')
    expect(error).toBeInstanceOf(StoreError)
    expect((error as StoreError).code).toBe('store_malformed_response')
    expect((error as StoreError).retryable).toBe(false)
  })

  it("maps the server's own dimension refusal to vector_dimension_mismatch", async () => {
    // A store configured with the wrong dimension passes its own check; the index refuses.
    const wrong = createUpstashVectorStore({
      index: new Index({ url: emulator.url, token: emulator.token, retry: false }),
      dimension: DIMENSION + 1,
    })
    const error = await wrong
      .query(new Array(DIMENSION + 1).fill(1), { filter: { owner: 'o' } })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreError)
    expect((error as StoreError).code).toBe('vector_dimension_mismatch')
  })
})
