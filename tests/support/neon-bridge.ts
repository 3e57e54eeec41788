import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { neonConfig } from '@neondatabase/serverless'
import { WebSocket } from 'ws'
import { createNeonSqlEndpoint, type NeonBridgeBackend } from './neon-sql-endpoint.ts'
import { createNeonWsProxy } from './neon-ws-proxy.ts'
import { createRequestLog, type RequestLog } from './request-log.ts'

export type { NeonBridgeBackend } from './neon-sql-endpoint.ts'

/** A running local stand-in for Neon's proxy. */
export interface NeonBridge {
  /** `http://127.0.0.1:<port>/sql`, for `neonConfig.fetchEndpoint`. */
  fetchEndpoint: string
  /** `127.0.0.1:<port>/v1`, for `neonConfig.wsProxy` (the driver appends `?address=`). */
  wsProxy: string
  port: number
  /** Every `/sql` request, labelled by its statements' first words (`select from "runs"`). */
  sqlRequests: RequestLog
  /** TCP connections from the WebSocket proxy to the backend still open. */
  readonly openTunnels: number
  close(): Promise<void>
}

/** Options of `startNeonBridge`. */
export interface NeonBridgeOptions {
  backend: NeonBridgeBackend
  /** Port to listen on, on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number
}

/**
 * Starts one in-process server speaking both of Neon's serverless protocols to a local
 * PostgreSQL (or pglite-socket): `POST /sql` for `neon()` and the WebSocket proxy on `/v1` and
 * `/v2` for `Pool`/`Client`. See PROTOCOLS.md section 3.
 */
export async function startNeonBridge(options: NeonBridgeOptions): Promise<NeonBridge> {
  const sqlRequests = createRequestLog()
  const sql = createNeonSqlEndpoint(options.backend, (queries) =>
    sqlRequests.record(queries.map(statementLabel).join('; ')),
  )
  const ws = createNeonWsProxy(options.backend)
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://bridge').pathname
    if (request.method === 'POST' && path === '/sql') {
      sql.handle(request, response).catch((error) => {
        if (!response.headersSent) response.writeHead(500)
        response.end(String(error))
      })
      return
    }
    response.writeHead(404, { 'content-type': 'text/plain' })
    response.end('not found')
  })
  server.on('upgrade', (request, socket, head) => {
    if (!ws.upgrade(request, socket, head)) socket.destroy()
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    fetchEndpoint: `http://127.0.0.1:${port}/sql`,
    wsProxy: `127.0.0.1:${port}/v1`,
    port,
    sqlRequests,
    get openTunnels() {
      return ws.openTunnels
    },
    async close() {
      await ws.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await sql.close()
    },
  }
}

/**
 * `insert "messages"`, `select "runs"`: a statement's verb and its first table. A statement
 * with a CTE names every write in it: `with update "conversations", insert "messages"`.
 */
function statementLabel(query: string): string {
  const head = query.slice(0, 4000)
  const verb = /^\s*(\w+)/.exec(head)?.[1]?.toLowerCase() ?? '?'
  if (verb === 'with') {
    const writes = [...head.matchAll(/\b(insert\s+into|update|delete\s+from)\s+("?[\w.]+"?)/gi)]
    return `with ${writes.map((w) => `${w[1]?.split(/\s/)[0]?.toLowerCase()} ${w[2]}`).join(', ')}`
  }
  const table = /\b(?:from|into|update)\s+("?[\w.]+"?)/i.exec(head)?.[1] ?? ''
  return table ? `${verb} ${table}` : verb
}

/**
 * Points the Neon driver's global config at a bridge: plain `ws://`, no pipelined startup
 * (it needs cleartext password auth, which neither scram nor pglite-socket offer), and the
 * `ws` package as WebSocket because Node 20 has none. Global: set before creating pools.
 */
export function configureNeonForBridge(bridge: Pick<NeonBridge, 'fetchEndpoint' | 'wsProxy'>) {
  neonConfig.fetchEndpoint = bridge.fetchEndpoint
  neonConfig.wsProxy = bridge.wsProxy
  neonConfig.useSecureWebSocket = false
  neonConfig.pipelineConnect = false
  neonConfig.webSocketConstructor = WebSocket
}
