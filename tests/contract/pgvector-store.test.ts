import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { neon } from '@neondatabase/serverless'
import { drizzle as drizzleNeonHttp } from 'drizzle-orm/neon-http'
import { drizzle } from 'drizzle-orm/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StoreError } from '../../src/core/errors.ts'
import { createPgVectorStore } from '../../src/core/memory/pgvector-store.ts'
import type { PostgresDatabase } from '../../src/core/memory/postgres-history-store.ts'
import type { VectorRecord, VectorStore } from '../../src/core/memory/vector-store.ts'
import { migrateDatabase } from '../../src/runtime/migrate-database.ts'
import { useMigratedPglite } from '../support/migrated-pglite.ts'
import { configureNeonForBridge, type NeonBridge, startNeonBridge } from '../support/neon-bridge.ts'
import { vectorStoreContract } from './vector-store.contract.ts'

// Self-contained until the shared VectorStore contract suite lands; then also run that one.
const dimension = 384

/** A unit vector at `degrees` from axis 0 towards axis 1 (cosine to axis 0 is known). */
function at(degrees: number, axis = 1): number[] {
  const v = new Array<number>(dimension).fill(0)
  const radians = (degrees * Math.PI) / 180
  v[0] = Math.cos(radians)
  v[axis] = Math.sin(radians)
  return v
}

let counter = 0
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${++counter}`

function record(
  id: string,
  vector: number[],
  owner: string,
  extra: Partial<VectorRecord['metadata']> = {},
) {
  return {
    id,
    vector,
    metadata: { owner, text: `text of ${id}`, createdAt: 1_700_000_000_000, ...extra },
  }
}

function vectorStoreCases(get: () => { db: PostgresDatabase; store: VectorStore }) {
  it('returns the top k best first with scores (1 + cosine) / 2', async () => {
    const owner = unique('owner')
    const angles = [0, 30, 60, 90, 120, 180, 45, 10]
    await get().store.upsert(angles.map((deg) => record(`${owner}-${deg}`, at(deg), owner)))
    const matches = await get().store.query(at(0), { topK: 5, filter: { owner } })
    expect(matches.map((m) => m.id)).toEqual([0, 10, 30, 45, 60].map((d) => `${owner}-${d}`))
    for (const match of matches) {
      const degrees = Number(match.id.split('-').at(-1))
      expect(match.score).toBeCloseTo((1 + Math.cos((degrees * Math.PI) / 180)) / 2, 5)
    }
    const all = await get().store.query(at(0), { topK: 100, filter: { owner } })
    expect(all).toHaveLength(angles.length)
    expect(all.at(-1)).toMatchObject({ id: `${owner}-180` })
    expect(all.at(-1)?.score).toBeCloseTo(0, 5)
    expect(all.find((m) => m.id === `${owner}-90`)?.score).toBeCloseTo(0.5, 5)
    expect((await get().store.query(at(0), { filter: { owner } })).length).toBe(angles.length)
  })

  it('defaults to ten results', async () => {
    const owner = unique('owner')
    await get().store.upsert(
      Array.from({ length: 15 }, (_, i) => record(`${owner}-${i}`, at(i), owner)),
    )
    expect(await get().store.query(at(0), { filter: { owner } })).toHaveLength(10)
  })

  it('filters by owner, conversation and kind, and round-trips metadata', async () => {
    const alice = unique('alice')
    const bob = unique('bob')
    await get().store.upsert([
      record('a1', at(0), alice, { conversationId: 'c1', kind: 'fact', text: 'Ünïcødé 会話 🚀' }),
      record('a2', at(5), alice, { conversationId: 'c2', kind: 'fact' }),
      record('a3', at(10), alice, { conversationId: 'c1', kind: 'summary' }),
      record('b1', at(0), bob, { conversationId: 'c1', kind: 'fact' }),
    ])
    const ids = async (filter: Parameters<VectorStore['query']>[1]) =>
      (await get().store.query(at(0), filter)).map((m) => m.id)
    expect(await ids({ filter: { owner: alice } })).toEqual(['a1', 'a2', 'a3'])
    expect(await ids({ filter: { owner: bob } })).toEqual(['b1'])
    expect(await ids({ filter: { owner: alice, conversationId: 'c1' } })).toEqual(['a1', 'a3'])
    expect(await ids({ filter: { owner: alice, kind: 'fact' } })).toEqual(['a1', 'a2'])
    expect(await ids({ filter: { owner: alice, conversationId: 'c1', kind: 'summary' } })).toEqual([
      'a3',
    ])
    expect(await ids({ filter: { owner: unique('nobody') } })).toEqual([])
    const [first] = await get().store.query(at(0), { topK: 1, filter: { owner: alice } })
    expect(first?.metadata).toEqual({
      owner: alice,
      conversationId: 'c1',
      kind: 'fact',
      text: 'Ünïcødé 会話 🚀',
      createdAt: 1_700_000_000_000,
    })
    const [plain] = await get().store.query(at(0), { topK: 1, filter: { owner: bob } })
    expect(plain?.metadata).toEqual({
      owner: bob,
      conversationId: 'c1',
      kind: 'fact',
      text: 'text of b1',
      createdAt: 1_700_000_000_000,
    })
    await get().store.delete({ ids: ['a1', 'a2', 'a3', 'b1'] })
  })

  it('replaces a record on upsert by id', async () => {
    const owner = unique('owner')
    await get().store.upsert([record(`${owner}-x`, at(0), owner, { text: 'old' })])
    await get().store.upsert([record(`${owner}-x`, at(90), owner, { text: 'new', kind: 'k' })])
    const matches = await get().store.query(at(90), { filter: { owner } })
    expect(matches).toHaveLength(1)
    expect(matches[0]?.score).toBeCloseTo(1, 5)
    expect(matches[0]?.metadata).toMatchObject({ text: 'new', kind: 'k' })
  })

  it('deletes by ids and by filter, counting what it removed', async () => {
    const owner = unique('owner')
    const other = unique('other')
    await get().store.upsert([
      record(`${owner}-1`, at(1), owner, { conversationId: 'c1' }),
      record(`${owner}-2`, at(2), owner, { conversationId: 'c1' }),
      record(`${owner}-3`, at(3), owner, { conversationId: 'c2' }),
      record(`${other}-1`, at(1), other, { conversationId: 'c1' }),
    ])
    expect(await get().store.delete({ ids: [`${owner}-1`, 'missing'] })).toBe(1)
    expect(await get().store.delete({ ids: [] })).toBe(0)
    expect(await get().store.delete({ filter: { owner, conversationId: 'c1' } })).toBe(1)
    expect((await get().store.query(at(0), { filter: { owner } })).map((m) => m.id)).toEqual([
      `${owner}-3`,
    ])
    expect(await get().store.query(at(0), { filter: { owner: other } })).toHaveLength(1)
  })

  it('rejects wrong dimensions with a non-retryable StoreError', async () => {
    const owner = unique('owner')
    for (const attempt of [
      get().store.upsert([record('short', [1, 0, 0], owner)]),
      get().store.query([1, 0, 0], { filter: { owner } }),
      get().store.upsert([record('nan', at(0).fill(Number.NaN, 3, 4), owner)]),
    ]) {
      const error = await attempt.catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StoreError)
      expect((error as StoreError).retryable).toBe(false)
    }
    expect(() => createPgVectorStore({ db: get().db, dimension: 3 })).toThrow(StoreError)
  })
}

describe('VectorStore on pgvector (drizzle pglite)', () => {
  const pglite = useMigratedPglite({ vector: 'auto' })
  let client: PGlite
  let db: PostgresDatabase
  let store: VectorStore

  beforeAll(() => {
    expect(pglite.migration()).toEqual({ vector: true })
    client = pglite.client()
    db = pglite.db()
    store = createPgVectorStore({ db, dimension })
  })

  vectorStoreCases(() => ({ db, store }))

  it('returns the full top k when the HNSW scan filters most candidates away', async () => {
    // Make PostgreSQL plan what it plans on a large table: walk the HNSW index, filter after.
    // Both owner indexes go (facts' unique (owner_id, hash) would serve the filter too).
    await client.exec(
      'drop index memories_owner_idx; drop index memories_owner_hash_idx; set enable_seqscan = off',
    )
    try {
      const crowd = unique('crowd')
      const few = unique('few')
      const records = Array.from({ length: 400 }, (_, i) =>
        record(
          `${i % 10 === 0 ? few : crowd}-${i}`,
          at(i * 0.2, 1 + (i % 7)),
          i % 10 === 0 ? few : crowd,
        ),
      )
      await store.upsert(records)
      const plan = await client.query<{ 'QUERY PLAN': string }>(
        `explain select id from memories where owner_id = '${few}'
         order by embedding <=> '[${at(0).join(',')}]' limit 10`,
      )
      expect(plan.rows.some((r) => r['QUERY PLAN'].includes('hnsw'))).toBe(true)
      const matches = await store.query(at(0), { topK: 10, filter: { owner: few } })
      const expected = records
        .filter((r) => r.metadata.owner === few)
        .slice(0, 10)
        .map((r) => r.id)
      expect(matches.map((m) => m.id)).toEqual(expected)
    } finally {
      await client.exec(
        'reset enable_seqscan; create index memories_owner_idx on memories (owner_id, conversation_id); ' +
          'create unique index memories_owner_hash_idx on memories (owner_id, hash)',
      )
    }
  })

  it('fails with a StoreError, not a driver error, when the database is gone', async () => {
    const gone = await PGlite.create({ extensions: { vector } })
    const goneStore = createPgVectorStore({ db: drizzle({ client: gone }), dimension })
    await gone.close()
    const error = await goneStore.query(at(0), { filter: { owner: 'x' } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreError)
  })
})

describe('VectorStore on pgvector (Neon HTTP -> bridge -> pglite-socket)', () => {
  let client: PGlite
  let server: PGLiteSocketServer
  let bridge: NeonBridge
  let db: PostgresDatabase
  let store: VectorStore

  beforeAll(async () => {
    client = await PGlite.create({ extensions: { vector } })
    server = new PGLiteSocketServer({ db: client, host: '127.0.0.1', port: 0, maxConnections: 4 })
    await server.start()
    const [host, port] = server.getServerConn().split(':')
    bridge = await startNeonBridge({ backend: { host: host ?? '', port: Number(port) } })
    configureNeonForBridge(bridge)
    db = drizzleNeonHttp({ client: neon(`postgresql://postgres:pw@${host}:${port}/postgres`) })
    expect(await migrateDatabase(db)).toEqual({ vector: true })
    store = createPgVectorStore({ db, dimension })
  })
  afterAll(async () => {
    await bridge?.close()
    await server?.stop()
    await client?.close()
  })

  vectorStoreCases(() => ({ db, store }))
})

describe('pgvector against the shared VectorStore contract', () => {
  const pglite = useMigratedPglite({ vector: 'auto' })
  vectorStoreContract('pgvector (PGlite)', async () => ({
    store: createPgVectorStore({ db: pglite.db(), dimension }),
    cleanup: async () => {
      await pglite.client().exec('delete from memories')
    },
  }))
})
