import type { IncomingMessage, ServerResponse } from 'node:http'
import pg from 'pg'

/** Where the bridge sends queries, whatever host the client's connection string names. */
export interface NeonBridgeBackend {
  host: string
  port: number
  /** Fixed credentials; when absent, taken from the client's `Neon-Connection-String`. */
  user?: string
  password?: string
  database?: string
}

/** Serves Neon's `POST /sql` (single query and batch) by running it on a pooled pg client. */
export interface NeonSqlEndpoint {
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>
  close(): Promise<void>
}

interface QueryData {
  query: string
  params?: unknown[]
}

// Every value goes back as Postgres' text representation; the client parses by type OID.
const rawText = { getTypeParser: () => (value: string) => value }

const pgErrorFields = [
  'severity',
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const

const isolationLevels: Record<string, string> = {
  Serializable: 'SERIALIZABLE',
  RepeatableRead: 'REPEATABLE READ',
  ReadCommitted: 'READ COMMITTED',
  ReadUncommitted: 'READ UNCOMMITTED',
}

/** The `/sql` half of the Neon bridge; pools are keyed by credentials and closed by `close`. */
export function createNeonSqlEndpoint(
  backend: NeonBridgeBackend,
  /** Told the statements of every well-formed request (one, or a batch's). */
  onRequest?: (queries: string[]) => void,
): NeonSqlEndpoint {
  const pools = new Map<string, pg.Pool>()

  function poolFor(connectionString: string): pg.Pool {
    const url = new URL(connectionString)
    const config = {
      host: backend.host,
      port: backend.port,
      user: backend.user ?? decodeURIComponent(url.username),
      password: backend.password ?? decodeURIComponent(url.password),
      database: backend.database ?? decodeURIComponent(url.pathname.slice(1)),
    }
    const key = JSON.stringify(config)
    let pool = pools.get(key)
    if (!pool) {
      pool = new pg.Pool({ ...config, max: 4, connectionTimeoutMillis: 5000 })
      // An idle client dying (backend restart) must not crash the test process.
      pool.on('error', () => {})
      pools.set(key, pool)
    }
    return pool
  }

  async function run(client: pg.PoolClient, data: QueryData, arrayMode: boolean) {
    const result = await client.query({
      text: data.query,
      values: data.params ?? [],
      rowMode: arrayMode ? 'array' : undefined,
      types: rawText,
      // Neon runs every statement through the extended protocol: one statement per query.
      queryMode: 'extended',
    } as pg.QueryConfig)
    return {
      command: result.command,
      rowCount: result.rowCount,
      rows: result.rows,
      fields: result.fields.map((f) => ({
        name: f.name,
        dataTypeID: f.dataTypeID,
        tableID: f.tableID,
        columnID: f.columnID,
        dataTypeSize: f.dataTypeSize,
        dataTypeModifier: f.dataTypeModifier,
        format: 'text',
      })),
      rowAsArray: arrayMode,
    }
  }

  function beginStatement(request: IncomingMessage): string {
    const parts = ['BEGIN']
    const level = isolationLevels[String(request.headers['neon-batch-isolation-level'])]
    if (level) parts.push(`ISOLATION LEVEL ${level}`)
    if (request.headers['neon-batch-read-only'] === 'true') parts.push('READ ONLY')
    if (request.headers['neon-batch-deferrable'] === 'true') parts.push('DEFERRABLE')
    return parts.join(' ')
  }

  async function execute(request: IncomingMessage, body: QueryData | { queries: QueryData[] }) {
    const connectionString = request.headers['neon-connection-string']
    if (typeof connectionString !== 'string') {
      return { status: 400, body: { message: 'missing Neon-Connection-String header' } }
    }
    const arrayMode = request.headers['neon-array-mode'] === 'true'
    let client: pg.PoolClient
    try {
      client = await poolFor(connectionString).connect()
    } catch (error) {
      // The compute behind the proxy is unreachable: a server-side failure, not a bad query.
      return { status: 503, body: { message: `could not connect to backend: ${error}` } }
    }
    let broken = false
    try {
      if (!('queries' in body)) return { status: 200, body: await run(client, body, arrayMode) }
      await client.query(beginStatement(request))
      try {
        const results = []
        for (const q of body.queries) results.push(await run(client, q, arrayMode))
        await client.query('COMMIT')
        return { status: 200, body: { results } }
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        throw error
      }
    } catch (error) {
      const pgError = error as Record<string, unknown> & { message?: string }
      if (typeof pgError.code !== 'string' || pgError.code.length !== 5) {
        broken = true
        return { status: 503, body: { message: String(pgError.message ?? error) } }
      }
      const fields: Record<string, unknown> = { message: pgError.message }
      for (const name of pgErrorFields) fields[name] = pgError[name]
      return { status: 400, body: fields }
    } finally {
      client.release(broken)
    }
  }

  return {
    async handle(request, response) {
      const chunks: Buffer[] = []
      for await (const chunk of request) chunks.push(chunk as Buffer)
      let parsed: QueryData | { queries: QueryData[] }
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        response.writeHead(400, { 'content-type': 'application/json' })
        response.end(JSON.stringify({ message: 'request body is not JSON' }))
        return
      }
      onRequest?.('queries' in parsed ? parsed.queries.map((q) => q.query) : [parsed.query])
      const { status, body } = await execute(request, parsed)
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      // Neon's proxy echoes the batch options it applied.
      for (const [name, value] of Object.entries(request.headers)) {
        if (name.startsWith('neon-batch-') && typeof value === 'string') headers[name] = value
      }
      response.writeHead(status, headers)
      response.end(JSON.stringify(body))
    },
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.end()))
      pools.clear()
    },
  }
}
