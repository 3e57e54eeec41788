/**
 * pgvector on PGlite: top-10 query latency with and without the HNSW index at 10k and 100k
 * vectors of 384 dimensions, and recall@10 of the indexed query against exact search.
 * `npx tsx bench/stores/vector.ts [sizes...]` (default `10000 100000`). Data is clustered
 * (like real embeddings, unlike uniform noise) and seeded, so runs are comparable.
 */
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { drizzle } from 'drizzle-orm/pglite'
import { createPgVectorStore } from '../../src/core/memory/pgvector-store.ts'
import type { VectorRecord } from '../../src/core/memory/vector-store.ts'
import { migrateDatabase } from '../../src/runtime/migrate-database.ts'
import { measure, printTable } from './bench-table.ts'

const dimension = 384
const queries = 50
const sizes = process.argv.slice(2).map(Number)
const owner = 'bench'

function random(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function gaussian(next: () => number) {
  return Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next())
}

function normalise(v: number[]) {
  const norm = Math.hypot(...v) || 1
  return v.map((x) => x / norm)
}

function makeData(seed: number) {
  const next = random(seed)
  const centres = Array.from({ length: 200 }, () =>
    normalise(Array.from({ length: dimension }, () => gaussian(next))),
  )
  const point = () => {
    const centre = centres[Math.floor(next() * centres.length)]!
    return normalise(centre.map((x) => x + 0.06 * gaussian(next)))
  }
  return { point }
}

async function run(count: number) {
  const client = await PGlite.create({ extensions: { vector } })
  const db = drizzle({ client })
  await migrateDatabase(db)
  const store = createPgVectorStore({ db, dimension })
  await client.exec('drop index memories_embedding_hnsw_idx')
  const data = makeData(42)
  const insertStart = performance.now()
  for (let i = 0; i < count; i += 1000) {
    const batch: VectorRecord[] = []
    for (let j = i; j < Math.min(count, i + 1000); j++) {
      batch.push({
        id: `v${j}`,
        vector: data.point(),
        metadata: { owner, text: `#${j}`, createdAt: 0 },
      })
    }
    await store.upsert(batch)
  }
  const insertSeconds = (performance.now() - insertStart) / 1000
  await client.exec('analyze memories')
  const probes = Array.from({ length: queries }, () => data.point())

  const exact: string[][] = []
  const flat = await measure(queries, async (i) => {
    const matches = await store.query(probes[i]!, { topK: 10, filter: { owner } })
    exact.push(matches.map((m) => m.id))
  })
  const buildStart = performance.now()
  await client.exec(
    'create index memories_embedding_hnsw_idx on memories using hnsw (embedding vector_cosine_ops)',
  )
  const buildSeconds = (performance.now() - buildStart) / 1000
  await client.exec('analyze memories')
  const plan = await client.query<{ 'QUERY PLAN': string }>(
    `explain select id from memories where owner_id = '${owner}'
     order by embedding <=> '[${probes[0]!.join(',')}]' limit 10`,
  )
  const usesIndex = plan.rows.some((r) => r['QUERY PLAN'].includes('hnsw'))
  let hits = 0
  const indexed = await measure(queries, async (i) => {
    const matches = await store.query(probes[i]!, { topK: 10, filter: { owner } })
    const truth = new Set(exact[i])
    hits += matches.filter((m) => truth.has(m.id)).length
  })
  await client.close()
  return {
    count,
    insertSeconds,
    buildSeconds,
    flat,
    indexed,
    usesIndex,
    recall: hits / (queries * 10),
  }
}

const results = []
for (const size of sizes.length > 0 ? sizes : [10_000, 100_000]) {
  console.error(`measuring ${size} vectors...`)
  results.push(await run(size))
}
console.log(`\npgvector on PGlite, ${dimension} dimensions, top-10, ${queries} queries each (ms)\n`)
printTable(
  [
    'vectors',
    'insert s',
    'hnsw build s',
    'exact p50',
    'exact p95',
    'hnsw p50',
    'hnsw p95',
    'plan uses hnsw',
    'recall@10',
  ],
  results.map((r) => [
    r.count,
    r.insertSeconds,
    r.buildSeconds,
    r.flat.p50,
    r.flat.p95,
    r.indexed.p50,
    r.indexed.p95,
    r.usesIndex ? 'yes' : 'no',
    r.recall,
  ]),
)
