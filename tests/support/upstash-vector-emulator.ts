import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequestLog, type RequestLog } from './request-log.ts'
import { type FilterNode, FilterSyntaxError, matchesFilter, parseFilter } from './vector-filter.ts'
import {
  type IncludeFlags,
  mergePatch,
  present,
  type StoredVector,
  VectorIndexState,
} from './vector-index-state.ts'

/** A running emulator: point `new Index({ url, token })` at it. */
export interface UpstashVectorEmulator {
  url: string
  token: string
  /** The live state, for assertions and resets between tests. */
  state: VectorIndexState
  /** Every request, labelled by its path (`/upsert/ns`, `/query/ns`). */
  requests: RequestLog
  close(): Promise<void>
}

/** Options of `startUpstashVectorEmulator`. */
export interface UpstashVectorEmulatorOptions {
  /** Bearer token clients must send; a random one when absent. */
  token?: string
  /** Dimension of the dense COSINE index. */
  dimension: number
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number
  /**
   * Makes the index one "created with an embedding model": `*-data` endpoints and `data`
   * fields embed text with `embed` (which must return `dimension` numbers), and `info`
   * names the model. Without it they answer 422, as an index without a model does.
   */
  embeddingModel?: { name: string; embed(text: string): Promise<number[]> }
}

class Failure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

const noEmbedding =
  'Embedding data for this index is not allowed. The index must be created with an embedding model to use it.'

type Body = Record<string, unknown>

function asObject(value: unknown): Body {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Failure(400, 'Invalid request body: expected a JSON object')
  }
  return value as Body
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('error', reject)
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      if (text.trim() === '') return resolve(undefined)
      try {
        resolve(JSON.parse(text))
      } catch {
        reject(new Failure(400, 'Invalid request body: not JSON'))
      }
    })
  })
}

/**
 * Starts an HTTP emulator of the Upstash Vector REST API for a dense COSINE index without an
 * embedding model (so `*-data` endpoints answer 422, as such an index does). Endpoints,
 * envelope and filter language follow ../shared/PROTOCOLS.md section 2; scoring is brute force.
 */
export async function startUpstashVectorEmulator(
  options: UpstashVectorEmulatorOptions,
): Promise<UpstashVectorEmulator> {
  const token = options.token ?? randomBytes(18).toString('base64url')
  const { dimension, embeddingModel } = options
  // Gives every item that carries `data` but no vector the vector the index's model makes of
  // it, before routing; the endpoints below then treat it like any other vector.
  const embedData = async (body: unknown): Promise<void> => {
    for (const item of Array.isArray(body) ? body : [body]) {
      if (typeof item !== 'object' || item === null) continue
      const record = item as { data?: unknown; vector?: unknown }
      if (record.data === undefined || record.vector !== undefined) continue
      if (!embeddingModel) throw new Failure(422, noEmbedding)
      if (typeof record.data !== 'string' || record.data === '') {
        throw new Failure(400, 'data must be a non-empty string')
      }
      record.vector = await embeddingModel.embed(record.data)
    }
  }
  const state = new VectorIndexState()

  function checkVector(vector: unknown): number[] {
    if (
      !Array.isArray(vector) ||
      !vector.every((x) => typeof x === 'number' && Number.isFinite(x))
    ) {
      throw new Failure(400, 'Invalid vector: expected an array of numbers')
    }
    if (vector.length !== dimension) {
      throw new Failure(422, `Invalid vector dimension: ${vector.length}, expected: ${dimension}`)
    }
    return vector
  }
  function filterOf(body: Body): FilterNode | undefined {
    if (body.filter === undefined || body.filter === '') return undefined
    if (typeof body.filter !== 'string') throw new Failure(400, 'filter must be a string')
    try {
      return parseFilter(body.filter)
    } catch (error) {
      if (error instanceof FilterSyntaxError)
        throw new Failure(400, `Invalid filter: ${error.message}`)
      throw error
    }
  }
  const idOf = (id: unknown) => {
    if (typeof id !== 'string' && typeof id !== 'number') throw new Failure(400, 'Invalid id')
    return String(id)
  }

  function upsert(ns: string, body: unknown): string {
    const items = (Array.isArray(body) ? body : [body]).map(asObject)
    const records: StoredVector[] = items.map((item) => {
      if (item.vector === undefined) {
        throw new Failure(
          item.sparseVector === undefined ? 422 : 400,
          item.sparseVector === undefined
            ? noEmbedding
            : 'This index does not support sparse vectors',
        )
      }
      const metadata = item.metadata === undefined ? undefined : asObject(item.metadata)
      const data = typeof item.data === 'string' ? item.data : undefined
      return { id: idOf(item.id), vector: checkVector(item.vector), metadata, data }
    })
    const target = state.namespace(ns, true) as Map<string, StoredVector>
    for (const record of records) target.set(record.id, structuredClone(record))
    return 'Success'
  }

  function queryOne(ns: string, raw: unknown): object[] {
    const body = asObject(raw)
    const vector = checkVector(body.vector)
    const topK = body.topK === undefined ? 10 : Number(body.topK)
    if (!Number.isInteger(topK) || topK < 1)
      throw new Failure(400, 'topK must be a positive integer')
    const flags = body as IncludeFlags
    return state
      .query(ns, vector, topK, filterOf(body))
      .map((m) => present(m.record, flags, m.score))
  }

  function deleteWhere(ns: string, raw: unknown): { deleted: number } {
    const target = state.namespace(ns)
    const body = Array.isArray(raw) ? { ids: raw } : asObject(raw)
    let deleted = 0
    const remove = (id: string) => {
      if (target?.delete(id)) deleted++
    }
    if (Array.isArray(body.ids)) for (const id of body.ids) remove(idOf(id))
    else if (typeof body.prefix === 'string') {
      for (const id of state.sortedIds(ns, body.prefix)) remove(id)
    } else {
      const filter = filterOf(body)
      if (filter === undefined) throw new Failure(400, 'Provide ids, prefix or filter')
      for (const record of [...(target?.values() ?? [])]) {
        if (matchesFilter(filter, record.metadata ?? {})) remove(record.id)
      }
    }
    return { deleted }
  }

  function update(ns: string, raw: unknown): { updated: number } {
    const body = asObject(raw)
    const record = state.namespace(ns)?.get(idOf(body.id))
    if (!record) return { updated: 0 }
    if (body.data !== undefined && body.vector === undefined) throw new Failure(422, noEmbedding)
    if (body.vector !== undefined) record.vector = checkVector(body.vector)
    if (body.metadata !== undefined) {
      const patch = asObject(body.metadata)
      record.metadata =
        body.metadataUpdateMode === 'PATCH'
          ? (mergePatch(record.metadata ?? {}, patch) as Record<string, unknown>)
          : structuredClone(patch)
    }
    return { updated: 1 }
  }

  function route(endpoint: string, ns: string, query: URLSearchParams, body: unknown): unknown {
    switch (endpoint) {
      case 'upsert':
        return upsert(ns, body)
      case 'upsert-data':
        if (!embeddingModel) throw new Failure(422, noEmbedding)
        return upsert(ns, body)
      case 'query-data': {
        if (!embeddingModel) throw new Failure(422, noEmbedding)
        if (!Array.isArray(body)) return queryOne(ns, body)
        const results = body.map((item) => queryOne(ns, item))
        return results.length === 1 ? results[0] : results
      }
      case 'resumable-query-data':
        throw new Failure(422, noEmbedding)
      case 'query': {
        if (!Array.isArray(body)) return queryOne(ns, body)
        const results = body.map((item) => queryOne(ns, item))
        return results.length === 1 ? results[0] : results
      }
      case 'fetch': {
        const request = asObject(body)
        if (Array.isArray(request.ids)) return state.fetch(ns, request.ids.map(idOf), request)
        const prefix = typeof request.prefix === 'string' ? request.prefix : ''
        return state.fetch(ns, state.sortedIds(ns, prefix).slice(0, 1000), request)
      }
      case 'range': {
        const request = asObject(body)
        const limit = Number(request.limit)
        if (!Number.isInteger(limit) || limit < 0) {
          throw new Failure(400, 'limit must be a non-negative integer')
        }
        const prefix = typeof request.prefix === 'string' ? request.prefix : ''
        return state.range(ns, Number(request.cursor ?? 0) || 0, limit, prefix, request)
      }
      case 'delete':
        return deleteWhere(ns, body)
      case 'update':
        return update(ns, body)
      case 'info':
        return state.info(dimension, embeddingModel?.name)
      case 'reset':
        if (query.has('all')) {
          state.namespaces.clear()
          state.namespaces.set('', new Map())
        } else state.namespace(ns)?.clear()
        return 'Success'
      case 'list-namespaces':
        return [...state.namespaces.keys()]
      case 'delete-namespace':
        if (ns === '') throw new Failure(400, 'Default namespace cannot be deleted')
        if (!state.namespaces.delete(ns)) throw new Failure(404, `Namespace ${ns} does not exist`)
        return 'Success'
      default:
        throw new Failure(404, `Endpoint ${endpoint} not found`)
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
    if (!['POST', 'GET', 'DELETE', 'PUT'].includes(req.method ?? ''))
      throw new Failure(405, 'Method Not Allowed')
    if (req.headers.authorization !== `Bearer ${token}`) {
      throw new Failure(401, 'Unauthorized: Invalid auth token')
    }
    const url = new URL(req.url ?? '/', 'http://emulator')
    const [endpoint = '', ...rest] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)
    const body = await readBody(req)
    if (['upsert', 'upsert-data', 'query', 'query-data'].includes(endpoint)) await embedData(body)
    res.setHeader('content-type', 'application/json')
    return route(endpoint, rest.join('/'), url.searchParams, body)
  }

  function send(res: ServerResponse, status: number, payload: object): void {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(payload))
  }

  const requests = createRequestLog()
  const server = createServer((req, res) => {
    requests.record(new URL(req.url ?? '/', 'http://emulator').pathname)
    handle(req, res).then(
      (result) => send(res, 200, { result }),
      (error: unknown) => {
        const status = error instanceof Failure ? error.status : 500
        send(res, status, { error: (error as Error).message, status })
      },
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    state,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
