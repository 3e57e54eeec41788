import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import * as z from 'zod'
import type { AppEnv } from '../app-env.ts'
import { parseSeq } from '../core/runs/parse-seq.ts'
import { jsonBody, queryParams } from './http/json-body.ts'

const pingBody = z.object({ message: z.string().max(1000) }).strict()

const pingStreamQuery = z.object({
  count: z.coerce.number().int().min(1).max(100).default(3),
  interval_ms: z.coerce.number().int().min(0).max(5000).default(250),
})

/**
 * Deployment diagnostics for programs and operators.
 * - `POST /api/ping` echoes a JSON message with the request id and runtime: proves that JSON
 *   bodies, validation and request ids survive the path to the app.
 * - `GET /api/ping/stream` sends `count` numbered `ping` events `interval_ms` apart, then
 *   `done`: shows whether a proxy in front buffers Server-Sent Events. A reconnect with
 *   `Last-Event-ID: n` resumes at n + 1, the same contract as the run event streams.
 */
export const pingRoutes = new Hono<AppEnv>()
  .post('/api/ping', jsonBody(pingBody), (c) => {
    const { message } = c.req.valid('json')
    return c.json({ message, request_id: c.var.requestId, runtime: c.var.services.runtime })
  })
  .get('/api/ping/stream', queryParams(pingStreamQuery), (c) => {
    const { count, interval_ms } = c.req.valid('query')
    const resumeAfter = parseSeq(c.req.header('Last-Event-ID'))
    const first = resumeAfter === undefined ? 1 : resumeAfter + 1
    c.header('Cache-Control', 'no-store')
    return streamSSE(c, async (stream) => {
      for (let seq = first; seq <= count && !stream.aborted; seq++) {
        if (seq > first && interval_ms > 0) await stream.sleep(interval_ms)
        await stream.writeSSE({ event: 'ping', id: String(seq), data: JSON.stringify({ seq }) })
      }
      if (!stream.aborted) await stream.writeSSE({ event: 'done', data: JSON.stringify({ count }) })
    })
  })
