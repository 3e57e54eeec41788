import { type Context, Hono } from 'hono'
import type { AppEnv } from '../../app-env.ts'
import { deleteConversation } from '../../core/chat/delete-conversation.ts'
import { guardMarkOf } from '../../core/chat/guard-mark.ts'
import { NotFoundError, ValidationError } from '../../core/errors.ts'
import { startModelWork } from '../../core/gate/start-model-work.ts'
import { gateDeps } from '../../core/request-deps.ts'
import { decideApproval } from '../../core/runs/decide-approval.ts'
import { cancelRun } from '../../core/runs/run-access.ts'
import { cutText, requirePlainText } from '../../core/text/plain-text.ts'
import { chatUrls } from '../../urls.ts'
import { ConversationHeader, ConversationView } from '../../views/conversation-view.tsx'
import { EditLink } from '../../views/edit-message-form.tsx'
import { LiveAnswer } from '../../views/live-answer.tsx'
import { LiveTurnTail } from '../../views/live-turn-tail.tsx'
import { MessageImages } from '../../views/message-images.tsx'
import { UserMessage } from '../../views/message-view.tsx'
import { RegenerateSlot } from '../../views/regenerate-form.tsx'
import { requestContext } from '../http/request-context.ts'
import { chatSidebar } from './chat-sidebar.tsx'
import { formImages } from './form-images.ts'
import { fragmentStream } from './fragment-stream.ts'
import { guestContext } from './guest-context.ts'

async function formField(c: Context<AppEnv>, name: string): Promise<string> {
  const value = (await c.req.parseBody())[name]
  if (typeof value !== 'string') {
    throw new ValidationError(`${name} is required`, { code: 'field_missing', details: { name } })
  }
  return value
}

/**
 * The composer's model choice: `auto` (or none) lets the router decide, anything else (a tier
 * or `provider:model`) goes to the gate as the request's choice, which validates it.
 */
async function modelField(c: Context<AppEnv>): Promise<string | undefined> {
  const value = (await c.req.parseBody()).model
  return typeof value === 'string' && value && value !== 'auto' ? value : undefined
}

/**
 * The chat's state changes, each a form POST (CSRF-checked by `csrfGuard`): without
 * JavaScript they answer `303` (to the run page that streams the answer, or back to the
 * conversation); with htmx they answer the fragments to swap in.
 */
export const chatActionRoutes = new Hono<AppEnv>()
  .post('/c', async (c) => {
    const guest = guestContext(c)
    const { csrfToken, htmx, models } = guest
    const content = await formField(c, 'content')
    const images = await formImages(c)
    const model = await modelField(c)
    const sent = await startModelWork(gateDeps(c.var.services), uiContext(c, htmx), {
      kind: 'message',
      content,
      images,
      ...(model ? { model } : {}),
    })
    const conversationId = sent.conversation.id
    const runId = sent.run.id
    if (!htmx) return c.redirect(chatUrls.run(conversationId, runId).page, 303)
    // The sidebar gains the new conversation (htmx replaced only `main`).
    const sidebar = await chatSidebar(guest, { currentId: conversationId, oob: true })
    return fragmentStream(
      c,
      <>
        {sidebar}
        <ConversationView
          conversation={sent.conversation}
          messages={[sent.userMessage]}
          csrfToken={csrfToken}
          focusComposer
          models={models}
          model={model}
          live={<LiveAnswer conversationId={conversationId} runId={runId} csrfToken={csrfToken} />}
        />
      </>,
      chatUrls.conversation(conversationId),
    )
  })
  .post('/c/:id/messages', async (c) => {
    const { csrfToken, htmx, models } = guestContext(c)
    const conversationId = c.req.param('id')
    const content = await formField(c, 'content')
    const images = await formImages(c)
    const model = await modelField(c)
    const sent = await startModelWork(gateDeps(c.var.services), uiContext(c, htmx), {
      kind: 'message',
      conversationId,
      content,
      images,
      ...(model ? { model } : {}),
    })
    const runId = sent.run.id
    if (!htmx) return c.redirect(chatUrls.run(conversationId, runId).page, 303)
    return fragmentStream(
      c,
      <>
        <UserMessage
          text={content.trim()}
          guard={guardMarkOf(sent.userMessage)}
          images={<MessageImages conversationId={conversationId} message={sent.userMessage} />}
          id={`m-${sent.userMessage.id}`}
          actions={<EditLink conversationId={conversationId} />}
        />
        <LiveTurnTail
          conversationId={conversationId}
          runId={runId}
          csrfToken={csrfToken}
          models={models}
          model={model}
        />
      </>,
      chatUrls.conversation(conversationId),
    )
  })
  .post('/c/:id/regenerate', async (c) => {
    const { csrfToken, htmx } = guestContext(c)
    const conversationId = c.req.param('id')
    const again = await startModelWork(gateDeps(c.var.services), uiContext(c, htmx), {
      kind: 'regenerate',
      conversationId,
    })
    const runId = again.run.id
    if (!htmx) return c.redirect(chatUrls.run(conversationId, runId).page, 303)
    return fragmentStream(
      c,
      <>
        <LiveAnswer conversationId={conversationId} runId={runId} csrfToken={csrfToken} />
        <RegenerateSlot conversationId={conversationId} csrfToken={csrfToken} show={false} oob />
      </>,
      chatUrls.conversation(conversationId),
    )
  })
  .post('/c/:id/runs/:runId/cancel', async (c) => {
    const { ownerId, deps, htmx } = guestContext(c)
    const conversationId = c.req.param('id')
    const runId = c.req.param('runId')
    await cancelRun(deps, ownerId, runId, { conversationId })
    // htmx: the live answer's own stream shows the end; nothing to swap here.
    if (htmx) return c.body(null, 204)
    return c.redirect(chatUrls.run(conversationId, runId).page, 303)
  })
  .post('/c/:id/runs/:runId/approvals', async (c) => {
    const { ownerId, deps, htmx } = guestContext(c)
    const conversationId = c.req.param('id')
    const runId = c.req.param('runId')
    const callId = requirePlainText(await formField(c, 'call_id'), 'call_id')
    const decision = await formField(c, 'decision')
    if (decision !== 'approve' && decision !== 'deny') {
      throw new ValidationError('decision must be approve or deny', {
        code: 'unsupported_value',
        details: { name: 'decision' },
      })
    }
    await decideApproval(
      deps,
      ownerId,
      { runId, callId: cutText(callId, 128), decision },
      { conversationId },
    )
    // htmx: the live answer's stream shows the decision and what follows it.
    if (htmx) return c.body(null, 204)
    return c.redirect(chatUrls.run(conversationId, runId).page, 303)
  })
  .post('/c/:id/rename', async (c) => {
    const { ownerId, csrfToken, deps, htmx } = guestContext(c)
    const conversationId = c.req.param('id')
    const title = cutText(requirePlainText(await formField(c, 'title'), 'title').trim(), 200)
    if (!title) throw new ValidationError('The title is empty', { code: 'title_empty' })
    const renamed = await deps.history.renameConversation(ownerId, conversationId, title)
    if (!renamed) throw new NotFoundError('No such conversation')
    if (htmx) return c.html(<ConversationHeader conversation={renamed} csrfToken={csrfToken} />)
    return c.redirect(chatUrls.conversation(conversationId), 303)
  })
  .post('/c/:id/delete', async (c) => {
    const { ownerId, deps, htmx } = guestContext(c)
    const deleted = await deleteConversation(deps, ownerId, c.req.param('id'))
    if (!deleted) throw new NotFoundError('No such conversation')
    // htmx: the page it was on is gone, so leave it for the home page.
    if (htmx) return c.body(null, 204, { 'HX-Redirect': chatUrls.home })
    return c.redirect(chatUrls.home, 303)
  })

/** The gate's context of a chat UI request: htmx, or a plain form without JavaScript. */
function uiContext(c: Context<AppEnv>, htmx: boolean) {
  return requestContext(c, htmx ? 'ui-htmx' : 'ui-form')
}
