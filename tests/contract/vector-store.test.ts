import { randomUUID } from 'node:crypto'
import { createServer } from 'node:net'
import { Index } from '@upstash/vector'
import { afterAll, beforeAll, describe } from 'vitest'
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
