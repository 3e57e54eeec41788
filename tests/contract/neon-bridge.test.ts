import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { NeonDbError, neon, Pool } from '@neondatabase/serverless'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { configureNeonForBridge, type NeonBridge, startNeonBridge } from '../support/neon-bridge.ts'
import { postgresAddress, serviceAvailable } from '../support/services.ts'

const postgresUp = await serviceAvailable('postgres')

describe.skipIf(!postgresUp)('neon bridge -> PostgreSQL', () => {
  let bridge: NeonBridge
  const table = `neon_bridge_${process.pid}_${Date.now()}`
  // The host and port are deliberately wrong: the bridge must use its configured backend.
  const url = `postgresql://${postgresAddress.user}:pw@db.example.invalid:1/${postgresAddress.database}`

  beforeAll(async () => {
    bridge = await startNeonBridge({ backend: postgresAddress })
    configureNeonForBridge(bridge)
  })
  afterAll(async () => {
    await neon(url).query(`drop table if exists ${table}`)
    await bridge?.close()
  })

  it('answers single queries with true types and the command tag', async () => {
    const sql = neon(url)
    const [row] = await sql`select 41 + ${1}::int as n, ${'héllo ✓'}::text as t,
      '{"a":[1,2]}'::jsonb as j, array[1,2,3]::int[] as a, now() as ts, null::text as z`
    expect(row).toMatchObject({ n: 42, t: 'héllo ✓', j: { a: [1, 2] }, a: [1, 2, 3], z: null })
    expect(row?.ts).toBeInstanceOf(Date)
    const created = await sql.query(`create table ${table} (id int primary key, v text)`, [], {
      fullResults: true,
    })
    expect(created).toMatchObject({ command: 'CREATE', rowCount: null })
    const inserted = await sql.query(
      `insert into ${table} values ($1, $2), ($3, $4)`,
      [1, 'a', 2, 'b'],
      { fullResults: true },
    )
    expect(inserted).toMatchObject({ command: 'INSERT', rowCount: 2 })
    const selected = await sql.query(`select id, v from ${table} order by id`, [], {
      fullResults: true,
      arrayMode: true,
    })
    expect(selected.rows).toEqual([
      [1, 'a'],
      [2, 'b'],
    ])
    expect(selected.fields.map((f) => f.dataTypeID)).toEqual([23, 25])
  })

  it('runs batches in one transaction with the requested options, rolling back on error', async () => {
    const sql = neon(url)
    const [level, readOnly] = await sql.transaction(
      [sql`show transaction_isolation`, sql`show transaction_read_only`],
      { isolationLevel: 'Serializable', readOnly: true },
    )
    expect(level).toEqual([{ transaction_isolation: 'serializable' }])
    expect(readOnly).toEqual([{ transaction_read_only: 'on' }])
    await expect(
      sql.transaction([
        sql.query(`insert into ${table} values (10, 'x')`),
        sql.query(`insert into ${table} values (10, 'dup')`),
      ]),
    ).rejects.toMatchObject({ code: '23505', constraint: `${table}_pkey` })
    expect(await sql.query(`select count(*)::int as c from ${table} where id = 10`)).toEqual([
      { c: 0 },
    ])
  })

  it('turns PostgreSQL errors into NeonDbError with the pg fields', async () => {
    const sql = neon(url)
    const error = await sql.query('select * from no_such_table_here').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NeonDbError)
    expect(error).toMatchObject({ code: '42P01', severity: 'ERROR', position: '15' })
    // One statement per query, as on Neon (extended protocol).
    await expect(sql.query('select 1; select 2')).rejects.toMatchObject({ code: '42601' })
  })

  it('tunnels the WebSocket Pool, including interactive transactions', async () => {
    const pool = new Pool({
      connectionString: url.replace('db.example.invalid:1', '127.0.0.1:5432'),
      max: 2,
    })
    try {
      const { rows } = await pool.query('select $1::int * 2 as n', [21])
      expect(rows).toEqual([{ n: 42 }])
      const client = await pool.connect()
      try {
        await client.query('begin')
        await client.query(`insert into ${table} values (20, 'tx')`)
        expect((await client.query(`select v from ${table} where id = 20`)).rows).toEqual([
          { v: 'tx' },
        ])
        await client.query('rollback')
      } finally {
        client.release()
      }
      expect((await pool.query(`select v from ${table} where id = 20`)).rowCount).toBe(0)
    } finally {
      await pool.end()
    }
  })

  it('proxies on /v2 too, and nothing on other paths', async () => {
    const socket = new WebSocket(
      `ws://127.0.0.1:${bridge.port}/v2?address=127.0.0.1:${postgresAddress.port}`,
    )
    const reply = new Promise<Buffer>((resolve) =>
      socket.once('message', (d) => resolve(d as Buffer)),
    )
    await new Promise((resolve) => socket.once('open', resolve))
    // SSLRequest: PostgreSQL answers 'N' (no TLS).
    socket.send(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]))
    expect((await reply).toString()).toBe('N')
    socket.close()
    const other = new WebSocket(`ws://127.0.0.1:${bridge.port}/v3?address=127.0.0.1:5432`)
    await expect(
      new Promise((resolve, reject) => {
        other.once('open', resolve)
        other.once('error', reject)
      }),
    ).rejects.toThrow()
  })

  it('refuses WebSocket targets that are not loopback', async () => {
    const socket = new WebSocket(`ws://${bridge.wsProxy}?address=10.1.2.3:5432`)
    const code = await new Promise<number>((resolve) => socket.on('close', (c) => resolve(c)))
    expect(code).toBe(1008)
  })
})

describe('neon bridge -> pglite-socket with pgvector', () => {
  let pglite: PGlite
  let server: PGLiteSocketServer
  let bridge: NeonBridge
  let url: string

  beforeAll(async () => {
    pglite = await PGlite.create({ extensions: { vector } })
    server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 8 })
    await server.start()
    const [host, port] = server.getServerConn().split(':')
    bridge = await startNeonBridge({ backend: { host: host ?? '', port: Number(port) } })
    configureNeonForBridge(bridge)
    url = `postgresql://postgres:postgres@${host}:${port}/postgres`
  })
  afterAll(async () => {
    await bridge?.close()
    await server?.stop()
    await pglite?.close()
  })

  it('serves pgvector over HTTP and over the WebSocket Pool, and the Pool ends', async () => {
    const sql = neon(url)
    await sql.query('create extension if not exists vector')
    await sql.query('create table items (id int primary key, embedding vector(3))')
    await sql.query("insert into items values (1, '[1,0,0]'), (2, '[0,1,0]'), (3, '[1,1,0]')")
    const pool = new Pool({ connectionString: url, max: 2 })
    try {
      const { rows } = await pool.query(
        'select id, 1 - (embedding <=> $1) as similarity from items order by embedding <=> $1',
        ['[1,0.1,0]'],
      )
      expect(rows.map((r) => r.id)).toEqual([1, 3, 2])
      expect(rows[0].similarity).toBeGreaterThan(0.99)
    } finally {
      await pool.end()
    }
    // pglite-socket never hangs up by itself: the bridge must close TCP after Terminate.
    await expect.poll(() => bridge.openTunnels).toBe(0)
    expect(await sql`select count(*)::int as c from items`).toEqual([{ c: 3 }])
  })
})
