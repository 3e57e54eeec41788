import type { ProviderResponse } from '../core/models/provider-fetch.ts'
import type { Http1ResponseHead } from './http1-response-parser.ts'
import { headersFromRaw } from './raw-headers.ts'

/** Body bytes held for a reader that is not reading before the connection stops reading. */
const HIGH_WATER_BYTES = 1024 * 1024

/** What a response asks of its connection: to stop reading while its reader lags, and go on. */
interface Readable {
  pause(): void
  resume(): void
}

/**
 * A response read from a connection: its body as an async iterable whose every step takes all
 * the bytes that have arrived since the last, as one piece. A reader that leaves early closes
 * the connection, so the upstream stops too.
 */
export class SocketResponse implements ProviderResponse, AsyncIterableIterator<Uint8Array> {
  readonly status: number
  readonly #rawHeaders: string[]
  #headers: Headers | undefined
  readonly #socket: Readable
  readonly #cancel: () => void
  #queue: Uint8Array[] = []
  #queued = 0
  #ended = false
  #error: { cause: unknown } | undefined
  #wake: (() => void) | undefined
  #paused = false

  constructor(head: Http1ResponseHead, socket: Readable, cancel: () => void) {
    this.status = head.status
    this.#rawHeaders = head.rawHeaders
    this.#socket = socket
    this.#cancel = cancel
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300
  }

  /** Built on first use: only failures read them (the request id, `retry-after`). */
  get headers(): Headers {
    this.#headers ??= headersFromRaw(this.#rawHeaders)
    return this.#headers
  }

  get body(): AsyncIterable<Uint8Array> {
    return this
  }

  push(bytes: Uint8Array): void {
    // The socket's buffer is its own: what waits for the reader is copied.
    this.#queue.push(bytes.slice())
    this.#queued += bytes.length
    if (this.#queued > HIGH_WATER_BYTES && !this.#paused) {
      this.#paused = true
      this.#socket.pause()
    }
    this.#wakeReader()
  }

  finish(): void {
    this.#ended = true
    this.#wakeReader()
  }

  fail(cause: unknown): void {
    if (this.#ended) return
    this.#error = { cause }
    this.#wakeReader()
  }

  #wakeReader(): void {
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    for (;;) {
      if (this.#queue.length > 0) {
        const queue = this.#queue
        this.#queue = []
        this.#queued = 0
        if (this.#paused) {
          this.#paused = false
          this.#socket.resume()
        }
        return { done: false, value: queue.length === 1 ? (queue[0] as Uint8Array) : joined(queue) }
      }
      if (this.#error) throw this.#error.cause
      if (this.#ended) return { done: true, value: undefined }
      await new Promise<void>((wake) => {
        this.#wake = wake
      })
    }
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    if (!this.#ended && !this.#error) this.#cancel()
    this.#queue = []
    return { done: true, value: undefined }
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  async text(): Promise<string> {
    const pieces: Uint8Array[] = []
    for await (const bytes of this) pieces.push(bytes)
    return decoder.decode(pieces.length === 1 ? pieces[0] : joined(pieces))
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text())
  }
}

const decoder = new TextDecoder()

function joined(pieces: Uint8Array[]): Uint8Array {
  let length = 0
  for (const piece of pieces) length += piece.length
  const bytes = new Uint8Array(length)
  let at = 0
  for (const piece of pieces) {
    bytes.set(piece, at)
    at += piece.length
  }
  return bytes
}
