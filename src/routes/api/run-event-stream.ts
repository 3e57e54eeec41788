import type { Context } from 'hono'
import type { AppEnv } from '../../app-env.ts'
import { parseSeq } from '../../core/runs/parse-seq.ts'
import type { RunEntry } from '../../core/runs/run-log.ts'
import { sseHeartbeat } from '../http/heartbeat.ts'
import { sseFrame, sseHeaders } from '../http/sse-frame.ts'
import { textStream } from '../http/text-stream.ts'

/**
 * Streams run entries as Server-Sent Events: `id` is the entry's seq (what a reconnect sends
 * back as `Last-Event-ID`), `event` the AgentEvent type, `data` the event as JSON. Leaving
 * early (client gone) stops reading; the run itself goes on. A text stream like every other
 * event stream here: it beats through silences, and a reader that stops reading is cut off
 * (it can resume with `Last-Event-ID`).
 */
export function runEventStream(c: Context<AppEnv>, entries: AsyncIterable<RunEntry>): Response {
  async function* frames() {
    for await (const entry of entries) {
      yield sseFrame({
        id: entry.seq,
        event: entry.event.type,
        data: JSON.stringify(entry.event),
      })
    }
  }
  const body = textStream(frames, {
    signal: c.req.raw.signal,
    heartbeat: sseHeartbeat(c.var.services.config),
    direct: c.var.services.directStreams,
  })
  // Run events are one reader's, never to be kept by a cache on the way.
  return c.body(body, 200, { ...sseHeaders, 'Cache-Control': 'no-store, no-transform' })
}

/** The seq a reconnecting client last saw, from `Last-Event-ID`; 0 when absent or malformed. */
export function lastEventId(c: Context<AppEnv>): number {
  return parseSeq(c.req.header('Last-Event-ID')) ?? 0
}
