import { createRoute } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../../app-env.ts'
import { deleteConversation } from '../../core/chat/delete-conversation.ts'
import { guardMarkOf } from '../../core/chat/guard-mark.ts'
import type { SentMessage } from '../../core/chat/send-message.ts'
import { NotFoundError } from '../../core/errors.ts'
import { startModelWork } from '../../core/gate/start-model-work.ts'
import { imagesFromDataUrls } from '../../core/images/image-upload.ts'
import { gateDeps } from '../../core/request-deps.ts'
import { requirePlainText } from '../../core/text/plain-text.ts'
import { apiUrls } from '../../urls.ts'
import { setGuardHeader } from '../http/guard-header.ts'
import { bearerSecurity, createOpenApiApp, ownerOf } from '../http/openapi-app.ts'
import { requestContext } from '../http/request-context.ts'
import {
  ConversationListSchema,
  ConversationSchema,
  ConversationWithMessagesSchema,
  EditMessageSchema,
  ErrorSchema,
  EventStreamSchema,
  IdParamSchema,
  MessageParamSchema,
  NewConversationSchema,
  PageQuerySchema,
  RenameSchema,
  RunStartedSchema,
  SendMessageSchema,
} from './api-schemas.ts'
import { conversationView, messageView } from './api-views.ts'
import { runEventStream } from './run-event-stream.ts'

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } })
const errors = {
  400: { description: 'Invalid request', ...json(ErrorSchema) },
  401: { description: 'Missing, unknown or revoked API key', ...json(ErrorSchema) },
  404: { description: 'No such conversation (or not yours)', ...json(ErrorSchema) },
}
const tags = ['Conversations']
const base = { tags, security: bearerSecurity }

const list = createRoute({
  ...base,
  method: 'get',
  path: '/api/conversations',
  summary: 'List your conversations, most recently updated first',
  request: { query: PageQuerySchema },
  responses: { 200: { description: 'A page', ...json(ConversationListSchema) }, ...errors },
})

const create = createRoute({
  ...base,
  method: 'post',
  path: '/api/conversations',
  summary: 'Start an empty conversation',
  request: { body: { required: true, ...json(NewConversationSchema) } },
  responses: { 201: { description: 'Created', ...json(ConversationSchema) }, ...errors },
})

const get = createRoute({
  ...base,
  method: 'get',
  path: '/api/conversations/{id}',
  summary: 'A conversation with its messages, oldest first',
  request: { params: IdParamSchema, query: PageQuerySchema },
  responses: {
    200: { description: 'The conversation', ...json(ConversationWithMessagesSchema) },
    ...errors,
  },
})

const rename = createRoute({
  ...base,
  method: 'patch',
  path: '/api/conversations/{id}',
  summary: 'Rename a conversation',
  request: { params: IdParamSchema, body: { required: true, ...json(RenameSchema) } },
  responses: { 200: { description: 'Renamed', ...json(ConversationSchema) }, ...errors },
})

const remove = createRoute({
  ...base,
  method: 'delete',
  path: '/api/conversations/{id}',
  summary: 'Delete a conversation',
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Deleted' }, ...errors },
})

/** How a request that starts a run answers: its events when asked for, else where to follow. */
const runStartedResponses = {
  200: {
    description: 'With `Accept: text/event-stream`: the run events as they come',
    content: { 'text/event-stream': { schema: EventStreamSchema } },
  },
  202: { description: 'The run started', ...json(RunStartedSchema) },
}

const send = createRoute({
  ...base,
  method: 'post',
  path: '/api/conversations/{id}/messages',
  summary: 'Send a message; starts a run that answers it',
  description:
    'Answers `202` with the run id and where to follow it, or, when the request sends ' +
    '`Accept: text/event-stream`, `200` with the run events directly (same format as the ' +
    'events URL).',
  request: { params: IdParamSchema, body: { required: true, ...json(SendMessageSchema) } },
  responses: {
    ...runStartedResponses,
    ...errors,
  },
})

const editLast = createRoute({
  ...base,
  method: 'post',
  path: '/api/conversations/{id}/messages/{message_id}/edit',
  summary: 'Edit your last message and answer it again',
  description:
    'Replaces the last user message with `content` and starts a run that answers it. The old ' +
    'message and its answer are superseded: they leave the conversation and later context ' +
    '(not usage). Answers like sending a message (`202`, or `200` with the events).',
  request: { params: MessageParamSchema, body: { required: true, ...json(EditMessageSchema) } },
  responses: {
    ...runStartedResponses,
    ...errors,
    409: {
      description:
        '`message_not_last`: not your last message; `answer_streaming`: an answer is still being written',
      ...json(ErrorSchema),
    },
  },
})

/** REST for conversations: every call is scoped to the API key's user. */
export const conversationRoutes = createOpenApiApp()
  .openapi(list, async (c) => {
    const { limit, cursor } = c.req.valid('query')
    const page = await c.var.services.memory.history.listConversations(ownerOf(c), {
      limit,
      cursor,
    })
    return c.json(
      { data: page.items.map(conversationView), next_cursor: page.nextCursor ?? null },
      200,
    )
  })
  .openapi(create, async (c) => {
    const owner = ownerOf(c)
    const { history } = c.var.services.memory
    await history.upsertUser({ id: owner })
    const conversation = await history.createConversation(owner, {
      title: requirePlainText(c.req.valid('json').title ?? '', 'title'),
    })
    return c.json(conversationView(conversation), 201)
  })
  .openapi(get, async (c) => {
    const owner = ownerOf(c)
    const { id } = c.req.valid('param')
    const { limit, cursor } = c.req.valid('query')
    const { history } = c.var.services.memory
    const conversation = await history.getConversation(owner, id)
    const messages = conversation && (await history.listMessages(owner, id, { limit, cursor }))
    if (!conversation || !messages) throw new NotFoundError('No such conversation')
    return c.json(
      {
        ...conversationView(conversation),
        messages: messages.items.map(messageView),
        messages_next_cursor: messages.nextCursor ?? null,
      },
      200,
    )
  })
  .openapi(rename, async (c) => {
    const { id } = c.req.valid('param')
    const conversation = await c.var.services.memory.history.renameConversation(
      ownerOf(c),
      id,
      requirePlainText(c.req.valid('json').title, 'title'),
    )
    if (!conversation) throw new NotFoundError('No such conversation')
    return c.json(conversationView(conversation), 200)
  })
  .openapi(remove, async (c) => {
    const { id } = c.req.valid('param')
    const deleted = await deleteConversation(c.var.services.memory, ownerOf(c), id)
    if (!deleted) throw new NotFoundError('No such conversation')
    return c.body(null, 204)
  })
  .openapi(send, async (c) => {
    const { id } = c.req.valid('param')
    const { content, model, images } = c.req.valid('json')
    const maxBytes = c.var.services.config.IMAGE_MAX_BYTES
    const sent = await startModelWork(gateDeps(c.var.services), requestContext(c, 'rest'), {
      kind: 'message',
      conversationId: id,
      content,
      ...(model ? { model } : {}),
      ...(images?.length ? { images: imagesFromDataUrls(images, maxBytes) } : {}),
    })
    return runStarted(c, sent)
  })
  .openapi(editLast, async (c) => {
    const { id, message_id: messageId } = c.req.valid('param')
    const { content, model } = c.req.valid('json')
    const sent = await startModelWork(gateDeps(c.var.services), requestContext(c, 'rest'), {
      kind: 'edit',
      conversationId: id,
      messageId,
      content,
      ...(model ? { model } : {}),
    })
    return runStarted(c, sent)
  })

/** The answer to a started message run: its events (SSE), or `202` and where to follow it. */
function runStarted(c: Context<AppEnv>, sent: SentMessage) {
  const runId = sent.run.id
  const mark = guardMarkOf(sent.userMessage)
  setGuardHeader(c, mark ? [mark] : [])
  if ((c.req.header('Accept') ?? '').includes('text/event-stream')) {
    // A streamed answer: the status is 200, as EventSource and most SSE clients expect.
    return runEventStream(c, sent.run.events) as never
  }
  return c.json(
    {
      run_id: runId,
      conversation_id: sent.conversation.id,
      message_id: sent.userMessage.id,
      run_url: apiUrls.run(runId),
      events_url: apiUrls.runEvents(runId),
    },
    202,
  )
}
