import type { Socket, SocketHandler } from 'bun'
import type { ProviderResponse } from '../core/models/provider-fetch.ts'
import {
  Http1ParseError,
  type Http1ResponseHead,
  Http1ResponseParser,
} from './http1-response-parser.ts'
import { SocketResponse } from './socket-response.ts'

/** Idle kept-alive connections are closed after this: upstreams commonly close theirs at 5 s. */
const IDLE_SECONDS = 4
/** Idle connections kept per origin; a burst beyond it closes the surplus as it ends. */
const MAX_IDLE_PER_ORIGIN = 512

/** A reused connection closed before any byte of its answer: safe to send again. */
export class StaleConnection extends Error {}

/** What an aborted call rejects with: the signal's reason, as `fetch` does. */
export function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError')
}

/** Opens a connection that returns to `idle` between calls; one whose opening outlives an abort is closed as soon as it opens. */
export async function connect(
  target: { hostname: string; port: number },
  idle: UpstreamConnection[],
  signal: AbortSignal,
): Promise<UpstreamConnection> {
  const connection = new UpstreamConnection(idle)
  const opening = Bun.connect<UpstreamConnection>({
    hostname: target.hostname,
    port: target.port,
    data: connection,
    socket: handlers,
  })
  let onAbort: (() => void) | undefined
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError(signal))
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    connection.socket = await Promise.race([opening, aborted])
    return connection
  } catch (error) {
    void opening.then((socket) => socket.terminate()).catch(() => {})
    throw error
  } finally {
    signal.removeEventListener('abort', onAbort as () => void)
  }
}

const handlers: SocketHandler<UpstreamConnection> = {
  data: (socket, bytes) => socket.data.read(bytes),
  drain: (socket) => socket.data.flush(),
  // The upstream ended its side: nothing more will come, so the connection is done.
  end: (socket) => {
    socket.data.onClose(undefined)
    socket.end()
  },
  close: (socket, error) => socket.data.onClose(error),
  error: (socket, error) => socket.data.onClose(error),
  // Only idle connections have a timeout.
  timeout: (socket) => socket.data.expire(),
}

/** One kept-alive connection to an upstream, carrying one request at a time. */
export class UpstreamConnection {
  socket!: Socket<UpstreamConnection>
  readonly #idle: UpstreamConnection[]
  readonly #parser: Http1ResponseParser
  /** The response being read, from its request until its body has ended. */
  #response: SocketResponse | undefined
  #answered = false
  #reused = false
  #reusable = true
  #closed = false
  #unsent: Uint8Array | undefined
  #resolve: ((response: ProviderResponse) => void) | undefined
  #reject: ((error: unknown) => void) | undefined
  #signal: AbortSignal | undefined
  readonly #onAbort = () => this.#fail(abortError(this.#signal as AbortSignal))

  constructor(idle: UpstreamConnection[]) {
    this.#idle = idle
    this.#parser = new Http1ResponseParser({
      head: (head) => this.#head(head),
      body: (bytes) => this.#response?.push(bytes),
      end: () => this.#end(),
    })
  }

  get closed(): boolean {
    return this.#closed
  }

  get busy(): boolean {
    return this.#signal !== undefined
  }

  /** Sends one request; resolves with the response once its head has arrived. */
  exchange(request: string, signal: AbortSignal): Promise<ProviderResponse> {
    this.#answered = false
    this.#signal = signal
    signal.addEventListener('abort', this.#onAbort, { once: true })
    const answer = new Promise<ProviderResponse>((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
    })
    const written = this.socket.write(request)
    if (written !== Buffer.byteLength(request)) {
      this.#unsent = Buffer.from(request).subarray(Math.max(written, 0))
    }
    return answer
  }

  /** Writes what the socket could not take at once, now that it can. */
  flush(): void {
    if (!this.#unsent) return
    const written = this.socket.write(this.#unsent)
    this.#unsent =
      written < this.#unsent.length ? this.#unsent.subarray(Math.max(written, 0)) : undefined
  }

  /** Idle too long: out of its pool at once (no call may take it while it closes), then closed. */
  expire(): void {
    if (this.busy || this.#closed) return
    this.#closed = true
    this.#leavePool()
    this.socket.end()
  }

  read(bytes: Uint8Array): void {
    // Bytes nobody asked for (while idle, or after the answer's end): an upstream that talks
    // unasked cannot be trusted with another request.
    if (!this.busy) {
      this.#discard()
      return
    }
    this.#answered = true
    try {
      if (this.#parser.feed(bytes) > 0) this.#discard()
    } catch (error) {
      this.#fail(error)
    }
  }

  onClose(error: Error | undefined): void {
    if (this.#closed) return
    this.#closed = true
    this.#leavePool()
    if (!this.busy) return
    try {
      // A body framed by the connection's end is complete now.
      this.#parser.close()
    } catch (parseError) {
      const stale = this.#reused && !this.#answered
      this.#fail(
        stale ? new StaleConnection('connection closed before answering') : (error ?? parseError),
      )
    }
  }

  #head(head: Http1ResponseHead): void {
    if (!head.keepAlive) this.#reusable = false
    const encoding = headerValue(head.rawHeaders, 'content-encoding')
    if (encoding && encoding.toLowerCase() !== 'identity') {
      throw new Http1ParseError(`unsupported content-encoding: ${encoding}`)
    }
    this.#response = new SocketResponse(head, this.socket, () =>
      this.#fail(new DOMException('The body was cancelled.', 'AbortError')),
    )
    this.#resolve?.(this.#response)
    this.#resolve = undefined
    this.#reject = undefined
  }

  #end(): void {
    const response = this.#response
    // An answer that came before the whole request was written leaves the upstream mid-request.
    const reusable = this.#reusable && this.#unsent === undefined
    this.#settle()
    response?.finish()
    if (reusable && !this.#closed && this.#idle.length < MAX_IDLE_PER_ORIGIN) {
      this.#reused = true
      this.#parser.reset()
      this.socket.timeout(IDLE_SECONDS)
      this.#idle.push(this)
    } else if (!this.#closed) {
      this.socket.end()
    }
  }

  /** Ends the exchange with an error: the request fails, or its body does; never reused. */
  #fail(error: unknown): void {
    const response = this.#response
    const reject = this.#reject
    this.#settle()
    this.#discard()
    reject?.(error)
    response?.fail(error)
  }

  /** Closes the connection for good, out of its pool at once. */
  #discard(): void {
    this.#reusable = false
    if (this.#closed) return
    this.#closed = true
    this.#leavePool()
    this.socket.terminate()
  }

  #leavePool(): void {
    const at = this.#idle.indexOf(this)
    if (at >= 0) this.#idle.splice(at, 1)
  }

  #settle(): void {
    this.#signal?.removeEventListener('abort', this.#onAbort)
    this.#signal = undefined
    this.#response = undefined
    this.#resolve = undefined
    this.#reject = undefined
    this.#unsent = undefined
  }
}

function headerValue(rawHeaders: string[], name: string): string | undefined {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] as string).toLowerCase() === name) return rawHeaders[i + 1]
  }
  return undefined
}
