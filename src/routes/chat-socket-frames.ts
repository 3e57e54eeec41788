import * as z from 'zod'
import type { AgentEvent } from '../core/agent/agent-event.ts'

const id = z.string().min(1).max(128)

/** `send`: a message for a conversation (a new one without `conversation_id`). */
const sendFrame = z
  .object({
    type: z.literal('send'),
    conversation_id: id.optional(),
    // Its length is checked by sendMessage (message_too_long), like every other surface's.
    content: z.string(),
    model: z.string().min(1).max(128).optional(),
  })
  .strict()

/** `cancel`: stop a live run. */
const cancelFrame = z.object({ type: z.literal('cancel'), run_id: id }).strict()

/** `resume`: the run's events after `after_seq` (0 for all of them), then live ones. */
const resumeFrame = z
  .object({ type: z.literal('resume'), run_id: id, after_seq: z.number().int().min(0) })
  .strict()

/** Every frame a client may send on `/chat`. */
export const clientFrame = z.discriminatedUnion('type', [sendFrame, cancelFrame, resumeFrame])

/** A parsed client frame. */
export type ClientFrame = z.infer<typeof clientFrame>

/** The frame types a client may send, for telling an unknown type from a malformed frame. */
export const clientFrameTypes: readonly string[] = ['send', 'cancel', 'resume']

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
    }
