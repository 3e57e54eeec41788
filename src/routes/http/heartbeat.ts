import type { StreamHeartbeat } from './text-stream.ts'

/** The SSE comment sent as a heartbeat; every client ignores comments. */
export const sseKeepAlive = ': keepalive\n\n'

/**
 * The heartbeat of an event stream: the keep-alive comment after every `STREAM_HEARTBEAT_MS`
 * of silence, so a model that thinks for a minute does not look like a dead connection to
 * the runtime's idle timeout, a proxy or a browser.
 */
export function sseHeartbeat(config: { STREAM_HEARTBEAT_MS: number }): StreamHeartbeat {
  return { everyMs: config.STREAM_HEARTBEAT_MS, text: sseKeepAlive }
}
