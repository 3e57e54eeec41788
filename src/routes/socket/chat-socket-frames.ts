import * as z from 'zod'
import type { AgentEvent } from '../../core/agent/agent-event.ts'
import { maxMessageChars } from '../../core/chat/send-message.ts'
import { type AppError, ValidationError } from '../../core/errors.ts'
import { maxImagesPerMessage } from '../../core/images/image-upload.ts'
import { parseSeq } from '../../core/runs/parse-seq.ts'

// A `send` frame is mostly its content; JSON escaping can grow text up to six times. Images
// come as base64 data URLs: four characters per three bytes, plus their prefixes.
const maxTextFrameChars = maxMessageChars * 6 + 4096

/** The longest frame a socket accepts when images may be up to `imageMaxBytes` each. */
export function maxFrameChars(imageMaxBytes: number): number {
  return maxTextFrameChars + maxImagesPerMessage * (Math.ceil(imageMaxBytes / 3) * 4 + 64)
}

const id = z.string().min(1).max(128)

/** `send`: a message for a conversation (a new one without `conversation_id`). */
const sendFrame = z
  .object({
    type: z.literal('send'),
    conversation_id: id.optional(),
    // Its length is checked by sendMessage (message_too_long), like every other surface's.
    content: z.string(),
    model: z.string().min(1).max(128).optional(),
    // Data URLs; checked (type by bytes, size, count) where the message is started.
    images: z.array(z.string()).max(16).optional(),
  })
  .strict()

/** `cancel`: stop a live run. */
const cancelFrame = z.object({ type: z.literal('cancel'), run_id: id }).strict()

// The one position parser every surface shares (`Last-Event-ID` too).
const seq = z.custom<number>((value) => parseSeq(value) !== undefined, {
  message: 'after_seq must be a non-negative decimal integer',
})

/** `resume`: the run's events after `after_seq` (0 for all of them), then live ones. */
const resumeFrame = z.object({ type: z.literal('resume'), run_id: id, after_seq: seq }).strict()

/** `approval`: approve or deny the tool call `call_id` a run waits on (its `approval-request`). */
const approvalFrame = z
  .object({
    type: z.literal('approval'),
    run_id: id,
    call_id: id,
    decision: z.enum(['approve', 'deny']),
  })
  .strict()

/** Every frame a client may send on `/chat`. */
export const clientFrame = z.discriminatedUnion('type', [
  sendFrame,
  cancelFrame,
  resumeFrame,
  approvalFrame,
])

/** A parsed client frame. */
export type ClientFrame = z.infer<typeof clientFrame>

/** The frame types a client may send, for telling an unknown type from a malformed frame. */
export const clientFrameTypes: readonly string[] = ['send', 'cancel', 'resume', 'approval']

/**
 * Every frame the server sends on `/chat`. `event` frames carry one logged `AgentEvent` with its
 * `seq` (the resume point), tagged with `run_id` because one socket may follow several runs.
 */
export type ServerFrame =
  | { type: 'run'; run_id: string; conversation_id: string }
  | { type: 'event'; run_id: string; seq: number; event: AgentEvent }
  | { type: 'run-end'; run_id: string; status: string }
  | {
      type: 'error'
      code: string
      message: string
      /** The type of the frame that caused it, when it could be read. */
      request?: string
      run_id?: string
      details?: unknown
      /** Seconds to wait before trying again (a rate limit, an overloaded provider). */
      retry_after?: number
    }

type Parsed = { ok: true; frame: ClientFrame } | { ok: false; error: AppError; request?: string }

/** Text frame -> JSON -> a known frame type -> a valid frame, each with its own error code. */
export function parseFrame(data: unknown, maxChars = maxTextFrameChars): Parsed {
  if (typeof data !== 'string') {
    return {
      ok: false,
      error: new ValidationError('Frames are JSON text', { code: 'invalid_frame' }),
    }
  }
  if (data.length > maxChars) {
    return {
      ok: false,
      error: new ValidationError(`Frames are at most ${maxChars} characters`, {
        code: 'frame_too_large',
      }),
    }
  }
  let json: unknown
  try {
    json = JSON.parse(data)
  } catch (cause) {
    return {
      ok: false,
      error: new ValidationError('The frame is not valid JSON', { code: 'invalid_json', cause }),
    }
  }
  const type =
    typeof json === 'object' && json !== null && 'type' in json && typeof json.type === 'string'
      ? json.type
      : undefined
  if (type === undefined || !clientFrameTypes.includes(type)) {
    return {
      ok: false,
      error: new ValidationError(`Frame type must be one of ${clientFrameTypes.join(', ')}`, {
        code: 'unknown_frame_type',
      }),
      ...(type !== undefined ? { request: type.slice(0, 64) } : {}),
    }
  }
  const result = clientFrame.safeParse(json)
  if (!result.success) {
    return {
      ok: false,
      request: type,
      error: new ValidationError('The frame does not match the expected shape', {
        details: result.error.issues.map((issue) => ({
          path: issue.path.join('.'),
          message: issue.message,
        })),
      }),
    }
  }
  return { ok: true, frame: result.data }
}
