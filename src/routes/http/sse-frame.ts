/**
 * One server-sent event: `id:` (a run-log seq, so `Last-Event-ID` resumes exactly) and the
 * data split into `data:` lines (a line break inside the data would otherwise end the field).
 */
export function sseFrame(frame: { id?: number; data?: string; event?: string }): string {
  let text = ''
  if (frame.event) text += `event: ${frame.event}\n`
  if (frame.id !== undefined) text += `id: ${frame.id}\n`
  if (frame.data !== undefined) {
    for (const line of frame.data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`
  }
  return `${text}\n`
}

/** Headers of every event stream we send. */
export const sseHeaders = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
}
