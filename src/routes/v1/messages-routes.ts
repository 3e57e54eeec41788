import { createRoute } from '@hono/zod-openapi'
import { clientError } from '../../core/client-error.ts'
import { collectCompletion } from '../../core/compat/collect-completion.ts'
import { routeHeader } from '../../core/compat/start-completion.ts'
import { startModelWork } from '../../core/gate/start-model-work.ts'
import { checkInlineImages } from '../../core/images/inline-images.ts'
import { gateDeps } from '../../core/request-deps.ts'
import { toAppError } from '../../middleware/error-response.tsx'
import { anthropicErrorBody } from '../../middleware/surface-error-body.ts'
import { setGuardHeader } from '../http/guard-header.ts'
import { sseHeartbeat } from '../http/heartbeat.ts'
import { createOpenApiApp } from '../http/openapi-app.ts'
import { requestContext } from '../http/request-context.ts'
import { sseHeaders } from '../http/sse-frame.ts'
import { textStream } from '../http/text-stream.ts'
import { fromAnthropicRequest } from './anthropic-request.ts'
import { createAnthropicFramer, messageView } from './anthropic-response.ts'
import {
  AnthropicErrorSchema,
  MessageResponseSchema,
  MessagesRequestSchema,
} from './anthropic-schemas.ts'
import { setCacheHeaders } from './cache-headers.ts'
import { ignoredNote } from './ignored-parameters.ts'

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: AnthropicErrorSchema } },
})

// Either header carries the key; typed wide so the route's input type stays inferable.
const messagesSecurity: Record<string, string[]>[] = [{ bearer: [] }, { 'x-api-key': [] }]

const messages = createRoute({
  method: 'post',
  path: '/v1/messages',
  tags: ['Anthropic-compatible'],
  security: messagesSecurity,
  summary: 'Messages, as Anthropic answers them (stateless; tool_use is returned)',
  description:
    'Drop-in for Anthropic clients: set the base URL to Outpost and the API key to an Outpost ' +
    'key (sent as `x-api-key` or `Authorization: Bearer`). Tool use is returned to the client. ' +
    '`x-outpost-run-id` names the run that holds the answer for five minutes at most ' +
    '(`GET /api/runs/{id}/events` with the same key).' +
    ignoredNote('messages'),
  request: {
    body: { required: true, content: { 'application/json': { schema: MessagesRequestSchema } } },
  },
  responses: {
    200: {
      description: 'A `message`, or with `stream: true` the event sequence',
      content: {
        'application/json': { schema: MessageResponseSchema },
        'text/event-stream': { schema: { type: 'string' } },
      },
    },
    400: errorResponse('Invalid request'),
    401: errorResponse('Missing, unknown or revoked API key'),
    413: errorResponse('An inline image is larger than `IMAGE_MAX_BYTES`'),
    415: errorResponse('An inline image is not a PNG, JPEG, WebP or GIF (by its bytes)'),
    '5XX': errorResponse('Every candidate model failed (529 when they are overloaded)'),
  },
})

/** `POST /v1/messages`, Anthropic-compatible, on the model layer directly. */
export const messagesRoutes = createOpenApiApp().openapi(messages, async (c) => {
  const body = c.req.valid('json')
  const completion = await startModelWork(
    gateDeps(c.get('services')),
    requestContext(c, 'anthropic'),
    {
      kind: 'completion',
      model: body.model,
      request: {
        ...checkInlineImages(fromAnthropicRequest(body), c.get('services').config.IMAGE_MAX_BYTES),
        stream: body.stream === true,
      },
    },
  )
  const id = `msg_${crypto.randomUUID().replaceAll('-', '')}`
  c.header('x-outpost-model', completion.model)
  c.header('x-outpost-run-id', completion.runId)
  if (completion.route) c.header('x-outpost-route', routeHeader(completion.route))
  setCacheHeaders(c, completion.cache)
  setGuardHeader(c, completion.guard)

  if (!body.stream) {
    const answer = await collectCompletion(completion.events)
    return c.json(messageView(id, completion.model, answer), 200)
  }

  const framer = createAnthropicFramer({ id, model: () => completion.model })
  // Anthropic's own keep-alive is a `ping` event; a comment is what every SSE client skips.
  const heartbeat = sseHeartbeat(c.get('services').config)
  // Frames' data is JSON (no raw newline): one `data:` line each.
  const frame = (f: { event: string; data: unknown }) =>
    `event: ${f.event}\ndata: ${JSON.stringify(f.data)}\n\n`
  // A body the runtime pulls from (no writer racing a transform stream per frame); its
  // cancellation, when the client goes away, ends the events and so the run.
  async function* pieces(): AsyncGenerator<string> {
    try {
      for await (const event of completion.events) yield framer.event(event).map(frame).join('')
    } catch (thrown) {
      // Headers are gone: the failure travels in the stream, as Anthropic sends it.
      const error = toAppError(thrown)
      const { message } = clientError(error)
      yield frame({ event: 'error', data: anthropicErrorBody(error, message) })
    }
  }
  return c.body(
    textStream(pieces, {
      heartbeat,
      direct: c.get('services').directStreams,
      first: frame(framer.start()),
    }),
    200,
    sseHeaders,
  ) as never
})
