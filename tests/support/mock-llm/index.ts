import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { answerAnthropic, anthropicGist } from './anthropic-wire.ts'
import { answerOpenAi, openAiGist } from './openai-wire.ts'
import {
  defaultReply,
  factExtractionReply,
  type MockReply,
  type RecordedRequest,
  ReplyQueue,
} from './script.ts'
import { sendJson } from './wire.ts'

export type { MockReply, MockToolCall, RecordedRequest } from './script.ts'

/** Options of `startMockLlm`. */
export interface MockLlmOptions {
  /** 0 (the default) picks a free port. */
  port?: number
  host?: string
  /** Model ids listed by `GET /v1/models`. */
  models?: string[]
  /** Length of embeddings when the request names no `dimensions`. Default 8. */
  embeddingDimensions?: number
  /** Pause between chunks of unscripted (default) replies, so a person can watch them stream. */
  defaultChunkDelayMs?: number
}

/** A running mock provider. `url` has no trailing slash and no `/v1`. */
export interface MockLlm {
  url: string
  /** Every chat, model-list and embedding request received, oldest first. */
  requests: RecordedRequest[]
  /**
   * The chat requests of turns, oldest first: `requests` without model lists, embeddings and
   * fact extraction (memory's background call, which lands whenever its debounce ends).
   */
  turnRequests(): RecordedRequest[]
  /**
   * Queues replies, for one model or (without `model`) for whichever request comes next.
   * With `facts`, for fact-extraction requests only (they otherwise get facts by rule).
   */
  script(replies: MockReply | MockReply[], options?: { model?: string; facts?: boolean }): void
  /** Replies scripted but not yet used. */
  readonly pending: number
  /** Chat answers whose response is still open: one a client leaves is closed at once. */
  readonly answering: number
  /** Forgets scripted replies and recorded requests. */
  reset(): void
  close(): Promise<void>
}

/**
 * Starts an HTTP server speaking the OpenAI chat-completions and Anthropic messages wire
 * protocols, with scripted replies and faults. Point the OpenAI SDK at `${url}/v1` and the
 * Anthropic SDK at `url`.
 */
export async function startMockLlm(options: MockLlmOptions = {}): Promise<MockLlm> {
  const queue = new ReplyQueue()
  const factQueue = new ReplyQueue()
  const requests: RecordedRequest[] = []
  const models = options.models ?? ['mock-1', 'mock-2']
  let counter = 0
  let answering = 0
  const ids = () => `mock${(++counter).toString(36).padStart(6, '0')}`

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(error) } })
      else res.destroy()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const raw = await readBody(req)
    let body: Record<string, unknown> = {}
    if (raw !== '') {
      try {
        body = JSON.parse(raw) as Record<string, unknown>
      } catch {
        sendJson(res, 400, {
          error: { message: 'Body is not JSON', type: 'invalid_request_error' },
        })
        return
      }
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
    )
    const model = typeof body.model === 'string' ? body.model : undefined
    const isAnthropic = 'anthropic-version' in headers || path === '/v1/messages'
    const record = (reply: RecordedRequest['reply']) =>
      requests.push({
        protocol: isAnthropic ? 'anthropic' : 'openai',
        method: req.method ?? 'GET',
        path,
        headers,
        body,
        model,
        reply,
      })

    if (req.method === 'GET' && path === '/v1/models') {
      record('models')
      if (isAnthropic) {
        const data = models.map((id) => ({
          type: 'model',
          id,
          display_name: id,
          created_at: '2025-01-01T00:00:00Z',
        }))
        sendJson(res, 200, { data, has_more: false, first_id: models[0], last_id: models.at(-1) })
      } else {
        const data = models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'mock' }))
        sendJson(res, 200, { object: 'list', data })
      }
      return
    }
    if (req.method === 'POST' && path === '/v1/embeddings') {
      record('embeddings')
      sendJson(res, 200, embeddings(body, options.embeddingDimensions ?? 8))
      return
    }
    if (req.method === 'POST' && (path === '/v1/chat/completions' || path === '/v1/messages')) {
      const gist = path === '/v1/messages' ? anthropicGist(body) : openAiGist(body)
      // Fact extraction has its own script: it runs whenever its debounce ends.
      const byRule = factExtractionReply(gist)
      const scripted = byRule ? factQueue.take(model) : queue.take(model)
      const reply = scripted ??
        byRule ?? {
          ...defaultReply(gist, model, { think: asksToThink(body) }),
          chunkDelayMs: options.defaultChunkDelayMs,
        }
      record(byRule ? 'facts' : scripted ? scripted.kind : 'default')
      answering += 1
      res.once('close', () => {
        answering -= 1
      })
      if (path === '/v1/messages') await answerAnthropic(res, body, gist, reply, ids)
      else await answerOpenAi(res, body, gist, reply, ids)
      return
    }
    sendJson(res, 404, { error: { message: `No route for ${req.method} ${path}` } })
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address() as AddressInfo

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}`,
    requests,
    turnRequests: () =>
      requests.filter(
        (r) => r.method === 'POST' && r.reply !== 'facts' && r.reply !== 'embeddings',
      ),
    script(replies, scriptOptions = {}) {
      const target = scriptOptions.facts ? factQueue : queue
      target.push(Array.isArray(replies) ? replies : [replies], scriptOptions.model)
    },
    get pending() {
      return queue.pending + factQueue.pending
    },
    get answering() {
      return answering
    },
    reset() {
      queue.clear()
      factQueue.clear()
      requests.length = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Anthropic's `thinking: { type: 'enabled' }`, which makes the real API reason first. */
function asksToThink(body: Record<string, unknown>): boolean {
  const thinking = body.thinking as { type?: unknown } | undefined
  return thinking?.type === 'enabled'
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    req.on('data', (part: Buffer) => parts.push(part))
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')))
    req.on('error', reject)
  })
}

/** Deterministic unit vectors from the input text; base64 float32 when the SDK asks for it. */
function embeddings(body: Record<string, unknown>, defaultDimensions: number) {
  const inputs = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? '')]
  const dims = typeof body.dimensions === 'number' ? body.dimensions : defaultDimensions
  const data = inputs.map((text, index) => {
    const vector = Array.from({ length: dims }, (_, i) => {
      let h = 2166136261 ^ i
      for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619)
      return ((h >>> 0) % 2000) / 1000 - 1
    })
    const norm = Math.hypot(...vector) || 1
    const unit = vector.map((v) => v / norm)
    const embedding =
      body.encoding_format === 'base64'
        ? Buffer.from(new Float32Array(unit).buffer).toString('base64')
        : unit
    return { object: 'embedding', index, embedding }
  })
  const tokens = inputs.reduce((n, t) => n + Math.max(1, Math.ceil(t.length / 4)), 0)
  return {
    object: 'list',
    data,
    model: body.model ?? 'mock-embed',
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  }
}
