import { Index } from '@upstash/vector'
import { afterAll, beforeAll, describe } from 'vitest'
import { createEmbeddingTextIndex } from '../../src/core/memory/embedding-text-index.ts'
import { createHashingEmbedder } from '../../src/core/memory/hashing-embedder.ts'
import { createInMemoryVectorStore } from '../../src/core/memory/in-memory-vector-store.ts'
import { createPgVectorStore } from '../../src/core/memory/pgvector-store.ts'
import { createUpstashTextIndex } from '../../src/core/memory/upstash-text-index.ts'
import { useMigratedPglite } from '../support/migrated-pglite.ts'
import {
  startUpstashVectorEmulator,
  type UpstashVectorEmulator,
} from '../support/upstash-vector-emulator.ts'
import { memoryPrivacyContract } from './memory-privacy.contract.ts'

const embedder = createHashingEmbedder({ dimension: 384 })

memoryPrivacyContract('in-memory', () =>
  createEmbeddingTextIndex({ embedder, vectors: createInMemoryVectorStore({ dimension: 384 }) }),
)

describe('pgvector on PGlite', () => {
  const pglite = useMigratedPglite({ vector: true })
  memoryPrivacyContract('pgvector (PGlite)', () =>
    createEmbeddingTextIndex({
      embedder,
      vectors: createPgVectorStore({ db: pglite.db(), dimension: 384 }),
    }),
  )
})

describe('Upstash Vector through the emulator', () => {
  let plain: UpstashVectorEmulator
  let withModel: UpstashVectorEmulator
  beforeAll(async () => {
    plain = await startUpstashVectorEmulator({ dimension: 384 })
    withModel = await startUpstashVectorEmulator({
      dimension: 384,
      embeddingModel: {
        name: 'BAAI/bge-small-en-v1.5',
        embed: async (text) => (await embedder.embed([text]))[0] ?? [],
      },
    })
  })
  afterAll(async () => {
    await Promise.all([plain?.close(), withModel?.close()])
  })
  const client = (emulator: UpstashVectorEmulator) =>
    new Index({ url: emulator.url, token: emulator.token, retry: false })

  memoryPrivacyContract('upstash-vector, we embed', () =>
    createUpstashTextIndex({ index: client(plain), embedder }),
  )
  memoryPrivacyContract('upstash-vector, the server embeds', () =>
    createUpstashTextIndex({ index: client(withModel), embedder }),
  )
})
