import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type {
  ProviderFetch,
  ProviderRequest,
  ProviderResponse,
} from '../core/models/provider-fetch.ts'
import { headersFromRaw } from './raw-headers.ts'

/**
 * Provider requests sent with `node:http`/`node:https` on keep-alive agents. Why not `fetch`:
 * here it is undici's, and a JSON POST to a loopback upstream cost about 380 µs of CPU through
 * it against about 75 µs through the HTTP client (50 concurrent calls; see the gateway bench),
 * most of it web streams and per-request objects a provider call does not need.
 */
export function nodeProviderFetch(): ProviderFetch {
  // Idle sockets are closed after 4 s: upstreams commonly close theirs at 5 s, and a request
  // sent on a socket the server is closing fails (that race is retried once, below).
  const agentOptions = { keepAlive: true, timeout: 4_000 }
  const http = new HttpAgent(agentOptions)
  const https = new HttpsAgent(agentOptions)
  const send = (url: string, init: ProviderRequest, retried: boolean): Promise<ProviderResponse> =>
    new Promise((resolve, reject) => {
      const secure = url.startsWith('https:')
      const request = (secure ? httpsRequest : httpRequest)(url, {
        method: init.method,
        headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
        agent: secure ? https : http,
        signal: init.signal,
      })
      request.once('response', (message) => resolve(new NodeProviderResponse(message)))
      request.once('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed as this request went out: nothing was
        // answered, so the request is sent once more on a fresh socket.
        if (
          !retried &&
          request.reusedSocket &&
          error.code === 'ECONNRESET' &&
          !init.signal.aborted
        ) {
          resolve(send(url, init, true))
        } else {
          reject(error)
        }
      })
      request.end(init.body)
    })
  return (url, init) => send(url, init, false)
}

/** A response as the direct provider calls read it, over the message as it arrives. */
class NodeProviderResponse implements ProviderResponse {
  readonly #message: IncomingMessage
  #headers: Headers | undefined

  constructor(message: IncomingMessage) {
    this.#message = message
  }

  get status(): number {
    return this.#message.statusCode ?? 0
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300
  }

  /** Built on first use: only failures read them (the request id, `retry-after`). */
  get headers(): Headers {
    this.#headers ??= headersFromRaw(this.#message.rawHeaders)
    return this.#headers
  }

  /** The message itself: its chunks are `Buffer`s, and leaving the loop early destroys it. */
  get body(): AsyncIterable<Uint8Array> {
    return this.#message
  }

  async text(): Promise<string> {
    const chunks: Buffer[] = []
    for await (const chunk of this.#message) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text())
  }
}
