import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createLuaShebangRewriter } from './lua-shebang-rewriter.ts'
import { createRedisConnectionPool } from './redis-connection-pool.ts'
import { createRequestLog, type RequestLog } from './request-log.ts'
import { RespError, type RespReply, RespStatus } from './resp.ts'
import { redisAddress } from './services.ts'

/** A running bridge: point `new Redis({ url, token })` at it. */
export interface UpstashRedisBridge {
  url: string
  token: string
  /** Every authorised request, labelled by its command names (`GET`, `pipeline SET,EXPIRE`). */
  requests: RequestLog
  close(): Promise<void>
}

/** Options of `startUpstashRedisBridge`; Redis defaults to the machine's (tests/support/services). */
export interface UpstashRedisBridgeOptions {
  redisHost?: string
  redisPort?: number
  /** Bearer token clients must send; a random one when absent. */
  token?: string
  /** Port to listen on, 127.0.0.1; 0 (the default) picks a free one. */
  port?: number
}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

// Commands that need a connection to themselves for longer than one request.
const unsupported = new Set(['subscribe', 'psubscribe', 'ssubscribe', 'monitor', 'quit', 'sync'])
// Commands that leave state on a connection, which must then not be reused.
const stateful = new Set(['select', 'watch', 'multi', 'client', 'hello', 'auth', 'readonly'])

function toCommand(raw: unknown): string[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new HttpFailure(400, 'ERR a command must be a non-empty JSON array')
  }
  const args = raw.map((arg) => {
    if (typeof arg === 'string') return arg
    if (typeof arg === 'number' || typeof arg === 'boolean') return String(arg)
    throw new HttpFailure(400, `ERR unsupported argument type: ${JSON.stringify(arg)}`)
  })
  if (unsupported.has(args[0]?.toLowerCase() ?? '')) {
    throw new HttpFailure(400, `ERR command '${args[0]}' is not supported by the REST bridge`)
  }
  return args
}

/** Upstash's `Upstash-Encoding: base64`: every string except the `OK` status; errors never. */
function toJson(reply: RespReply, base64: boolean): unknown {
  if (reply instanceof RespStatus) {
    return base64 && reply.text !== 'OK' ? Buffer.from(reply.text).toString('base64') : reply.text
  }
  if (Buffer.isBuffer(reply)) return reply.toString(base64 ? 'base64' : 'utf8')
  if (reply instanceof RespError) return reply.message
  if (Array.isArray(reply)) return reply.map((item) => toJson(item, base64))
  return reply
}

function toItem(reply: RespReply, base64: boolean): { result: unknown } | { error: string } {
  return reply instanceof RespError ? { error: reply.message } : { result: toJson(reply, base64) }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    throw new HttpFailure(400, 'ERR failed to parse the request body as JSON')
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}

/** The `GET|POST /set/key/value?EX=10` form; a POST body becomes the last argument. */
function pathCommand(url: URL, body: Buffer): string[] {
  const args = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)
  if (body.length > 0) args.push(body.toString('utf8'))
  for (const [key, value] of url.searchParams) {
    if (key === '_token') continue
    args.push(key)
    if (value !== '') args.push(value)
  }
  return args
}

/**
 * Starts an HTTP server speaking the Upstash Redis REST protocol (`POST /`, `/pipeline`,
 * `/multi-exec`, the path form, bearer or `?_token=` auth, base64 response encoding) in front
 * of a real Redis, over RESP2. See ../shared/PROTOCOLS.md section 1.
 */
export async function startUpstashRedisBridge(
  options: UpstashRedisBridgeOptions = {},
): Promise<UpstashRedisBridge> {
  const token = options.token ?? randomBytes(18).toString('base64url')
  const redisHost = options.redisHost ?? redisAddress.host
  const redisPort = options.redisPort ?? redisAddress.port
  const pool = createRedisConnectionPool({ host: redisHost, port: redisPort })
  const scripts = createLuaShebangRewriter()
  const requests = createRequestLog()
  const names = (commands: string[][]) => commands.map((c) => c[0]?.toUpperCase()).join(',')

  async function run(commands: string[][]): Promise<{ replies: RespReply[]; loaded: string[] }> {
    const rewritten = commands.map((command) => scripts.rewrite(command))
    const reusable = !commands.some((c) => stateful.has(c[0]?.toLowerCase() ?? ''))
    let replies: RespReply[]
    try {
      replies = await pool.exchange(
        rewritten.map((r) => r.command),
        { reusable },
      )
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
      throw new HttpFailure(
        503,
        `Service Unavailable: Redis at ${redisHost}:${redisPort} (${code})`,
      )
    }
    // SCRIPT LOAD answers with the hash the client computed from the text it sent.
    const loaded = rewritten.map((r) => r.loadedSha ?? '')
    return { replies, loaded }
  }
  const withLoaded = (reply: RespReply, sha: string | undefined) =>
    sha && Buffer.isBuffer(reply) ? Buffer.from(sha) : reply

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://bridge')
    const method = req.method ?? 'GET'
    if (!['HEAD', 'GET', 'POST', 'PUT'].includes(method)) {
      throw new HttpFailure(405, 'Method Not Allowed')
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    if ((bearer ?? url.searchParams.get('_token')) !== token) {
      throw new HttpFailure(401, 'Unauthorized')
    }
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64'
    const body = await readBody(req)
    const path = url.pathname.replace(/\/+$/, '')

    if (method === 'POST' && (path === '/pipeline' || path === '/multi-exec')) {
      const raw = parseJson(body)
      if (!Array.isArray(raw) || raw.length === 0) {
        throw new HttpFailure(400, 'ERR the body must be a non-empty array of commands')
      }
      const commands = raw.map(toCommand)
      requests.record(`${path.slice(1)} ${names(commands)}`)
      if (path === '/pipeline') {
        const { replies, loaded } = await run(commands)
        return send(
          res,
          200,
          replies.map((reply, i) => toItem(withLoaded(reply, loaded[i]), base64)),
        )
      }
      const { replies } = await run([['multi'], ...commands, ['exec']])
      const exec = replies.at(-1) ?? null
      if (exec instanceof RespError) return send(res, 400, { error: exec.message })
      if (!Array.isArray(exec)) return send(res, 400, { error: 'EXECABORT Transaction aborted' })
      return send(
        res,
        200,
        exec.map((reply) => toItem(reply, base64)),
      )
    }
    const command = path === '' && method === 'POST' ? toCommand(parseJson(body)) : undefined
    const args = command ?? pathCommand(url, body)
    if (args.length === 0) {
      res.writeHead(200, { 'content-type': 'text/plain' })
      return void res.end('Upstash REST bridge to Redis: POST /, /pipeline, /multi-exec\n')
    }
    requests.record(names([toCommand(args)]))
    const { replies, loaded } = await run([toCommand(args)])
    const reply = withLoaded(replies[0] ?? null, loaded[0])
    if (reply instanceof RespError) return send(res, 400, { error: reply.message })
    send(res, 200, { result: toJson(reply, base64) })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof HttpFailure ? error.status : 500
      if (!res.headersSent) send(res, status, { error: (error as Error).message })
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        pool.close()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
