import { asAppError, clientError } from '../../core/client-error.ts'
import { AppError } from '../../core/errors.ts'
import type { RequestContext } from '../../core/gate/request-context.ts'
import { type GateDeps, startModelWork } from '../../core/gate/start-model-work.ts'
import { imagesFromDataUrls } from '../../core/images/image-upload.ts'
import { decideApproval } from '../../core/runs/decide-approval.ts'
import { cancelRun, followRun, getRun } from '../../core/runs/run-access.ts'
import type { RunEntry } from '../../core/runs/run-log.ts'
import { errorFields } from '../../core/telemetry/error-fields.ts'
import {
  type ClientFrame,
  maxFrameChars,
  parseFrame,
  type ServerFrame,
} from './chat-socket-frames.ts'

/** What a session needs: the gate's dependencies, whose socket it is, and a way out. */
export interface ChatSessionOptions {
  deps: GateDeps
  /** The socket's caller and its upgrade request; each frame's gate context derives from it. */
  context: Pick<RequestContext, 'principal' | 'requestId' | 'traceparent'>
  /** Writes one frame to the socket; a no-op once it is closed. */
  send(frame: ServerFrame): void
  /** `IMAGE_MAX_BYTES`: the largest image a `send` frame may carry (it sizes the frame limit). */
  imageMaxBytes?: number
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

/** Runs one socket may follow at once: enough for any UI, few enough to bound the work. */
export const maxFollowedRuns = 16

/**
 * Creates the session of one socket. Several runs may be followed at once: every frame names
 * its run. Resuming a run the socket already follows restarts that follow from the given seq,
 * so the client's last seen `seq` is always the truth.
 */
export function createChatSession(options: ChatSessionOptions): ChatSession {
  const { deps, context, send } = options
  const frameLimit = maxFrameChars(options.imageMaxBytes ?? 0)
  const ownerId = context.principal.userId
  let frames = 0
  // Frames arrive after the upgrade, past every HTTP middleware: the gate sees each `send`.
  const frameContext = (): RequestContext => ({
    ...context,
    surface: 'websocket',
    requestId: `${context.requestId}:${++frames}`,
    signal: socket.signal,
    defer: deps.defer,
  })
  const socket = new AbortController()
  const follows = new Map<string, AbortController>()
  const handling = new Set<Promise<void>>()

  const fail = (error: unknown, request?: string, runId?: string) => {
    if (socket.signal.aborted) return
    const shown = clientError(asAppError(error))
    if (shown.status >= 500) {
      deps.logger.error('chat socket frame failed', {
        request: typeof request === 'string' ? request.slice(0, 100) : undefined,
        ...errorFields(error),
      })
    }
    send({
      type: 'error',
      code: shown.code,
      message: shown.message,
      ...(request ? { request } : {}),
      ...(runId ? { run_id: runId } : {}),
      ...(shown.details !== undefined ? { details: shown.details } : {}),
      ...(shown.retryAfterSeconds !== undefined ? { retry_after: shown.retryAfterSeconds } : {}),
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
    if (socket.signal.aborted) own.abort()
    return own
  }

  let starting = 0
  const handle = async (frame: ClientFrame) => {
    switch (frame.type) {
      case 'send': {
        // Counted from before sendMessage, so a burst of sends cannot slip past the limit.
        if (follows.size + starting >= maxFollowedRuns) throw tooManyRuns()
        starting++
        const sent = await startModelWork(deps, frameContext(), {
          kind: 'message',
          content: frame.content,
          ...(frame.images?.length
            ? { images: imagesFromDataUrls(frame.images, options.imageMaxBytes ?? 0) }
            : {}),
          ...(frame.conversation_id ? { conversationId: frame.conversation_id } : {}),
          ...(frame.model ? { model: frame.model } : {}),
        }).finally(() => starting--)
        const runId = sent.run.id
        send({ type: 'run', run_id: runId, conversation_id: sent.conversation.id })
        void follow(runId, sent.run.events, startFollow(runId))
        return
      }
      case 'resume': {
        if (!follows.has(frame.run_id) && follows.size + starting >= maxFollowedRuns) {
          throw tooManyRuns()
        }
        const own = startFollow(frame.run_id)
        try {
          const events = await followRun(deps, ownerId, frame.run_id, frame.after_seq, {
            signal: own.signal,
          })
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
      case 'approval':
        // The decision shows up as the run's `approval` event on the sockets that follow it.
        await decideApproval(deps, ownerId, {
          runId: frame.run_id,
          callId: frame.call_id,
          decision: frame.decision,
        })
        return
    }
  }

  const receive = async (data: unknown) => {
    const parsed = parseFrame(data, frameLimit)
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
      for (const own of follows.values()) own.abort()
    },
  }
}

function tooManyRuns() {
  return new AppError('too_many_runs', `A socket follows at most ${maxFollowedRuns} runs at once`, {
    status: 429,
    retryable: true,
  })
}
