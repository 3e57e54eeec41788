import { Hono } from 'hono'
import type { AppEnv } from '../../app-env.ts'
import { parseSeq } from '../../core/runs/parse-seq.ts'
import { getRun } from '../../core/runs/run-access.ts'
import { chatUrls } from '../../urls.ts'
import { answerFrame } from '../../views/answer-frame.tsx'
import { newAnswerState } from '../../views/answer-state.ts'
import { answerIds } from '../../views/live-answer.tsx'
import { RegenerateSlot } from '../../views/regenerate-form.tsx'
import { sseHeartbeat } from '../http/heartbeat.ts'
import { sseFrame, sseHeaders } from '../http/sse-frame.ts'
import { textStream } from '../http/text-stream.ts'
import { guestContext, renderToString } from './guest-context.ts'

/** The position to resume after: `Last-Event-ID` (a run-log seq), else `?after=`, else 0. */
export function resumeAfter(lastEventId: string | undefined, after: string | undefined): number {
  return parseSeq(lastEventId) ?? parseSeq(after) ?? 0
}

/**
 * `GET /c/:id/runs/:runId/events`: a run as `text/event-stream` of HTML fragments that htmx
 * swaps into the live answer, each with `id:` = its run-log seq. With `Last-Event-ID` it
 * continues after that event: the earlier ones are replayed into the renderer's state only,
 * so nothing is lost and nothing is sent twice.
 */
export const runEventRoutes = new Hono<AppEnv>().get('/c/:id/runs/:runId/events', async (c) => {
  const { ownerId, deps, csrfToken } = guestContext(c)
  const id = c.req.param('id')
  const runId = c.req.param('runId')
  const { logged } = await getRun(deps, ownerId, runId, { conversationId: id })
  const after = resumeAfter(c.req.header('Last-Event-ID'), c.req.query('after'))
  const keepAlive = sseHeartbeat(c.var.services.config)
  const body = textStream(
    async function* (signal) {
      if (!logged) {
        // The log expired: the answer (if any) is in history; ask the page to show it.
        yield sseFrame({
          data: await renderToString(
            <ExpiredNotice runId={runId} href={chatUrls.conversation(id)} />,
          ),
        })
        return
      }
      const state = newAnswerState()
      const forms = { action: chatUrls.run(id, runId).approvals, csrfToken }
      // Checked above; `followRun` would ask both stores again.
      for await (const entry of deps.runLog.tail(runId, 0, signal)) {
        const answer = answerFrame(runId, state, entry.event, forms)
        if (entry.seq <= after) continue
        // The answer is over: Regenerate comes back.
        const frame =
          entry.event.type === 'turn-end' ? (
            <>
              {answer}
              <RegenerateSlot conversationId={id} csrfToken={csrfToken} show oob />
            </>
          ) : (
            answer
          )
        yield sseFrame({
          id: entry.seq,
          data: frame === null ? undefined : await renderToString(frame),
        })
      }
    },
    { signal: c.req.raw.signal, heartbeat: keepAlive, direct: c.var.services.directStreams },
  )
  return c.body(body, 200, sseHeaders)
})

function ExpiredNotice(props: { runId: string; href: string }) {
  return (
    <article class="message assistant" id={answerIds(props.runId).article} hx-swap-oob="true">
      <p class="notice">
        This answer is no longer live. <a href={props.href}>Reload the conversation</a> to see it.
      </p>
    </article>
  )
}
