import type { ServerResponse } from 'node:http'
import { setTimeout as delay } from 'node:timers/promises'

/** Writes a JSON response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

/** Waits `ms` unless the client went away first. */
export async function pause(res: ServerResponse, ms: number | undefined): Promise<void> {
  if (!ms || ms <= 0 || res.destroyed) return
  await delay(ms)
}

/**
 * A server-sent-events writer with an optional pause between frames. `cut()` destroys the
 * socket mid-stream, which is what a dropped upstream connection looks like to a client.
 */
export class SseWriter {
  readonly #res: ServerResponse
  readonly #gapMs: number
  #started = false

  constructor(res: ServerResponse, gapMs = 0) {
    this.#res = res
    this.#gapMs = gapMs
  }

  get closed(): boolean {
    return this.#res.destroyed || this.#res.writableEnded
  }

  #start(): void {
    if (this.#started) return
    this.#started = true
    this.#res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    })
    this.#res.flushHeaders()
  }

  /** One frame: `event:` line when named, then the JSON (or raw string) `data:` line. */
  async send(data: unknown, event?: string): Promise<void> {
    this.#start()
    if (this.closed) return
    const payload = typeof data === 'string' ? data : JSON.stringify(data)
    const frame = `${event ? `event: ${event}\n` : ''}data: ${payload}\n\n`
    // Waiting for the flush keeps a later cut() from discarding frames already "sent".
    await new Promise<void>((resolve) => this.#res.write(frame, () => resolve()))
    await pause(this.#res, this.#gapMs)
  }

  end(): void {
    this.#start()
    if (!this.closed) this.#res.end()
  }

  cut(): void {
    this.#start()
    this.#res.socket?.destroy()
    this.#res.destroy()
  }
}

/** Retry-After headers as providers send them (seconds; OpenAI also sends milliseconds). */
export function retryHeaders(seconds: number | undefined): Record<string, string> {
  if (seconds === undefined) return {}
  return { 'retry-after': String(seconds), 'retry-after-ms': String(Math.round(seconds * 1000)) }
}
