import type { ChatDeps } from '../core/chat/chat-deps.ts'
import { cancelRun, followRun, getRun } from '../core/chat/run-access.ts'
import { maxMessageChars, sendMessage } from '../core/chat/send-message.ts'
import { AppError, isAppError, ValidationError } from '../core/errors.ts'
import type { RunEntry } from '../core/runs/run-log.ts'
import {
  type ClientFrame,
  clientFrame,
  clientFrameTypes,
  type ServerFrame,
} from './chat-socket-frames.ts'

/** What a session needs: the chat core's dependencies, whose socket it is, and a way out. */
export interface ChatSessionOptions {
  deps: ChatDeps
  ownerId: string
  /** Writes one frame to the socket; a no-op once it is closed. */
  send(frame: ServerFrame): void
}

/** The protocol of one `/chat` socket, apart from the socket itself. */
export interface ChatSession {
  /** Handles one incoming message. Never rejects: every problem becomes an `error` frame. */
  receive(data: unknown): Promise<void>
  /** Resolves once every frame received so far has been handled (runs started, resumes found). */
  settled(): Promise<void>
  /** Stops following runs (the socket closed). The runs themselves go on in the background. */
  close(): void
}

// A `send` frame is mostly its content; JSON escaping can grow text up to six times.
const maxFrameChars = maxMessageChars * 6 + 4096

/**
 * Creates the session of one socket. Several runs may be followed at once: every frame names
 * its run. Resuming a run the socket already follows restarts that follow from the given seq,
 * so the client's last seen `seq` is always the truth.
 */
export function createChatSession(options: ChatSessionOptions): ChatSession {
  const { deps, ownerId, send } = options
  const socket = new AbortController()
  const follows = new Map<string, AbortController>()
  const handling = new Set<Promise<void>>()

  const fail = (error: unknown, request?: string, runId?: string) => {
    if (socket.signal.aborted) return
    const known = isAppError(error)
    if (!known || error.status >= 500) {
      deps.logger.error('chat socket frame failed', { request, error: String(error) })
    }
    const shown = known && error.expose
    send({
      type: 'error',
      code: known ? error.code : 'internal_error',
      message: shown ? error.message : 'Internal server error',
      ...(request ? { request } : {}),
      ...(runId ? { run_id: runId } : {}),
      ...(shown && error.details !== undefined ? { details: error.details } : {}),
    })
  }

  const follow = (runId: string, events: AsyncIterable<RunEntry>, own: AbortController) =>
    (async () => {
      for await (const entry of events) {
        if (own.signal.aborted) return
        send({ type: 'event', run_id: runId, seq: entry.seq, event: entry.event })
      }
      if (own.signal.aborted) return
      // History is written before the log's stream ends, so the status here is final.
      const { run } = await getRun(deps, ownerId, runId)
      send({ type: 'run-end', run_id: runId, status: run.status })
    })()
      .catch((error: unknown) => {
        if (!own.signal.aborted) fail(error, undefined, runId)
      })
      .finally(() => {
        if (follows.get(runId) === own) follows.delete(runId)
      })

  const startFollow = (runId: string) => {
    follows.get(runId)?.abort()
    const own = new AbortController()
    follows.set(runId, own)
    socket.signal.addEventListener('abort', () => own.abort(), { once: true })
    return own
  }

  const handle = async (frame: ClientFrame) => {
    switch (frame.type) {
      case 'send': {
        const sent = await sendMessage(deps, {
          ownerId,
          content: frame.content,
          ...(frame.conversation_id ? { conversationId: frame.conversation_id } : {}),
          ...(frame.model ? { model: frame.model } : {}),
        })
        const runId = sent.run.run.id
        send({ type: 'run', run_id: runId, conversation_id: sent.conversation.id })
        void follow(runId, sent.run.events, startFollow(runId))
        return
      }
      case 'resume': {
        const own = startFollow(frame.run_id)
        try {
          const events = await followRun(deps, ownerId, frame.run_id, frame.after_seq, own.signal)
          void follow(frame.run_id, events, own)
        } catch (error) {
          if (follows.get(frame.run_id) === own) follows.delete(frame.run_id)
          throw error
        }
        return
      }
      case 'cancel': {
        if (!(await cancelRun(deps, ownerId, frame.run_id))) {
          throw new AppError('run_not_live', 'The run has already ended', { status: 409 })
        }
        return
      }
    }
  }

  const receive = async (data: unknown) => {
    const parsed = parseFrame(data)
    if (!parsed.ok) return fail(parsed.error, parsed.request)
    const frame = parsed.frame
    try {
      await handle(frame)
    } catch (error) {
      fail(error, frame.type, 'run_id' in frame ? frame.run_id : undefined)
    }
  }

  return {
    receive(data) {
      if (socket.signal.aborted) return Promise.resolve()
      const work = receive(data)
      handling.add(work)
      void work.finally(() => handling.delete(work))
      return work
    },
    async settled() {
      while (handling.size > 0) await Promise.all([...handling])
    },
    close() {
      socket.abort()
    },
  }
}

type Parsed = { ok: true; frame: ClientFrame } | { ok: false; error: AppError; request?: string }

/** Text frame -> JSON -> a known frame type -> a valid frame, each with its own error code. */
export function parseFrame(data: unknown): Parsed {
  if (typeof data !== 'string') {
    return {
      ok: false,
      error: new ValidationError('Frames are JSON text', { code: 'invalid_frame' }),
    }
  }
  if (data.length > maxFrameChars) {
    return {
      ok: false,
      error: new ValidationError(`Frames are at most ${maxFrameChars} characters`, {
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
