import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { AppEnv } from '../../app-env.ts'
import { parseSeq } from '../../core/runs/parse-seq.ts'
import type { RunEntry } from '../../core/runs/run-log.ts'
import { HEARTBEAT, sseKeepAlive, withHeartbeat } from '../http/heartbeat.ts'
import { writtenWithin } from '../http/stalled-writes.ts'

/**
 * Streams run entries as Server-Sent Events: `id` is the entry's seq (what a reconnect sends
 * back as `Last-Event-ID`), `event` the AgentEvent type, `data` the event as JSON. Leaving
 * early (client gone) stops reading; the run itself goes on.
 */
export function runEventStream(c: Context<AppEnv>, entries: AsyncIterable<RunEntry>): Response {
  c.header('Cache-Control', 'no-store')
  c.header('X-Accel-Buffering', 'no')
  const everyMs = c.var.services.config.STREAM_HEARTBEAT_MS
  return streamSSE(c, async (stream) => {
    for await (const entry of withHeartbeat(entries, everyMs)) {
      if (stream.aborted) break
      const written =
        entry === HEARTBEAT
          ? stream.write(sseKeepAlive)
          : stream.writeSSE({
              id: String(entry.seq),
              event: entry.event.type,
              data: JSON.stringify(entry.event),
            })
      // A reader that stopped reading is cut off; it can resume with Last-Event-ID.
      if (!(await writtenWithin(written))) {
        stream.abort()
        break
      }
    }
  })
}

/** The seq a reconnecting client last saw, from `Last-Event-ID`; 0 when absent or malformed. */
export function lastEventId(c: Context<AppEnv>): number {
  return parseSeq(c.req.header('Last-Event-ID')) ?? 0
}
