import type { Context } from 'hono'
import type { AppEnv } from '../../app-env.ts'
import { sseFrame, sseHeaders } from '../http/sse-frame.ts'
import { renderToString } from './guest-context.ts'

/**
 * An htmx answer to a form that started a turn: one event-stream frame with the fragments to
 * swap in, and the conversation's URL for the address bar.
 */
export async function fragmentStream(c: Context<AppEnv>, html: unknown, pushUrl: string) {
  return c.body(sseFrame({ data: await renderToString(html) }), 200, {
    ...sseHeaders,
    'HX-Push-Url': pushUrl,
  })
}
