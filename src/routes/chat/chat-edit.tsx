import { Hono } from 'hono'
import type { AppEnv } from '../../app-env.ts'
import { guardMarkOf } from '../../core/chat/guard-mark.ts'
import { AppError, NotFoundError, ValidationError } from '../../core/errors.ts'
import { startModelWork } from '../../core/gate/start-model-work.ts'
import { gateDeps } from '../../core/request-deps.ts'
import { chatUrls } from '../../urls.ts'
import { ConversationPage } from '../../views/conversation-page.tsx'
import { lastUserMessage, MessageList } from '../../views/conversation-view.tsx'
import { EditLink, EditMessageForm } from '../../views/edit-message-form.tsx'
import { LiveTurnTail } from '../../views/live-turn-tail.tsx'
import { MessageImages } from '../../views/message-images.tsx'
import { textOf, UserMessage } from '../../views/message-view.tsx'
import { requestContext } from '../http/request-context.ts'
import { allMessages } from './chat-pages.tsx'
import { chatSidebar } from './chat-sidebar.tsx'
import { fragmentStream } from './fragment-stream.ts'
import { type GuestContext, guestContext, htmlPage } from './guest-context.ts'

/**
 * Edit-and-resend of the last user message in the chat UI. `GET /c/:id/edit` is the form:
 * the conversation page with the message as a form (without JavaScript), or just the form
 * (htmx swaps it over the message). `POST` sends it through the gate like any message: `303`
 * to the run page without JavaScript; with htmx the message list as it now stands, the live
 * answer at its end. While an answer streams both refuse with a 409.
 */
export const chatEditRoutes = new Hono<AppEnv>()
  .get('/c/:id/edit', async (c) => {
    const guest = guestContext(c)
    const { csrfToken, htmx, notices, models } = guest
    const { conversation, messages, last } = await editable(guest, c.req.param('id'))
    const id = conversation.id
    if (htmx) {
      return c.html(<EditMessageForm conversationId={id} message={last} csrfToken={csrfToken} />)
    }
    return htmlPage(
      c,
      <ConversationPage
        conversation={conversation}
        messages={messages}
        csrfToken={csrfToken}
        notices={notices}
        models={models}
        sidebar={await chatSidebar(guest, { currentId: id })}
        editing
      />,
    )
  })
  .get('/c/:id/edit/cancel', async (c) => {
    const guest = guestContext(c)
    const id = c.req.param('id')
    if (!guest.htmx) return c.redirect(chatUrls.conversation(id), 303)
    const { last } = await editable(guest, id)
    // The message comes back as it was, and the caret goes back to its Edit.
    return c.html(
      <UserMessage
        text={textOf(last)}
        guard={guardMarkOf(last)}
        id={`m-${last.id}`}
        images={<MessageImages conversationId={id} message={last} />}
        actions={<EditLink conversationId={id} focus />}
      />,
    )
  })
  .post('/c/:id/edit', async (c) => {
    const guest = guestContext(c)
    const { ownerId, csrfToken, htmx, models, deps } = guest
    const conversationId = c.req.param('id')
    const form = await c.req.parseBody()
    const sent = await startModelWork(
      gateDeps(c.var.services),
      requestContext(c, htmx ? 'ui-htmx' : 'ui-form'),
      {
        kind: 'edit',
        conversationId,
        messageId: field(form.message_id, 'message_id'),
        content: field(form.content, 'content'),
      },
    )
    const runId = sent.run.id
    if (!htmx) return c.redirect(chatUrls.run(conversationId, runId).page, 303)
    // The list as it now stands: the old question and answer are gone, the new one is last.
    const messages = await allMessages(deps, ownerId, conversationId)
    return fragmentStream(
      c,
      <>
        <MessageList messages={messages} conversationId={conversationId} edit={{ mode: 'link' }} />
        <LiveTurnTail
          conversationId={conversationId}
          runId={runId}
          csrfToken={csrfToken}
          models={models}
        />
      </>,
      chatUrls.conversation(conversationId),
    )
  })

/**
 * The conversation, its messages and the last user message, when it may be edited now: not
 * while an answer is being written (409, as the POST would answer), and not without one.
 */
async function editable(guest: GuestContext, conversationId: string) {
  const { deps, ownerId } = guest
  const conversation = await deps.history.getConversation(ownerId, conversationId)
  if (!conversation) throw new NotFoundError('No such conversation')
  if (await deps.live.running(deps, ownerId, conversationId)) {
    throw new AppError('answer_streaming', 'Wait for the answer to finish before editing', {
      status: 409,
    })
  }
  const messages = await allMessages(deps, ownerId, conversationId)
  const last = lastUserMessage(messages)
  if (!last) throw new NotFoundError('No message to edit')
  return { conversation, messages, last }
}

function field(value: unknown, name: string): string {
  if (typeof value !== 'string') {
    throw new ValidationError(`${name} is required`, { code: 'field_missing', details: { name } })
  }
  return value
}
