import { createRoute } from '@hono/zod-openapi'
import { clientError } from '../../core/client-error.ts'
import { collectCompletion } from '../../core/compat/collect-completion.ts'
import { routeHeader } from '../../core/compat/start-completion.ts'
import { startModelWork } from '../../core/gate/start-model-work.ts'
import { checkInlineImages } from '../../core/images/inline-images.ts'
import { gateDeps } from '../../core/request-deps.ts'
import { toAppError } from '../../middleware/error-response.tsx'
import { openAiErrorBody } from '../../middleware/surface-error-body.ts'
import { setGuardHeader } from '../http/guard-header.ts'
import { sseHeartbeat } from '../http/heartbeat.ts'
import { bearerSecurity, createOpenApiApp } from '../http/openapi-app.ts'
import { requestContext } from '../http/request-context.ts'
import { sseHeaders } from '../http/sse-frame.ts'
import { textStream } from '../http/text-stream.ts'
import { setCacheHeaders } from './cache-headers.ts'
import { ignoredNote } from './ignored-parameters.ts'
import { fromOpenAiRequest } from './openai-request.ts'
import { chatCompletionView, createChunker } from './openai-response.ts'
import {
  ChatCompletionRequestSchema,
  ChatCompletionSchema,
  OpenAiErrorSchema,
} from './openai-schemas.ts'

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: OpenAiErrorSchema } },
})

const completions = createRoute({
  method: 'post',
  path: '/v1/chat/completions',
  tags: ['OpenAI-compatible'],
  security: bearerSecurity,
  summary: 'Chat completions, as OpenAI answers them (stateless; tool calls are returned)',
  description:
    'Drop-in for OpenAI clients: change the base URL to `<outpost>/v1` and use an Outpost key. ' +
    'Messages come in the request and no conversation is stored. Tool calls are returned to ' +
    'the client, never executed here. `x-outpost-model` names the model that answered, ' +
    '`x-outpost-route` why it was chosen, and `x-outpost-run-id` the run that holds the ' +
    "answer's events for five minutes at most (`GET /api/runs/{id}/events` with the same " +
    'key). Only `n: 1`.' +
    ignoredNote('chat/completions'),
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: ChatCompletionRequestSchema } },
    },
  },
  responses: {
    200: {
      description:
        'A `chat.completion`, or with `stream: true` a stream of chunks ending in `[DONE]`',
      content: {
        'application/json': { schema: ChatCompletionSchema },
        'text/event-stream': { schema: { type: 'string' } },
      },
    },
    400: errorResponse('Invalid request'),
    401: errorResponse('Missing, unknown or revoked API key'),
    413: errorResponse('An inline image is larger than `IMAGE_MAX_BYTES`'),
    415: errorResponse('An inline image is not a PNG, JPEG, WebP or GIF (by its bytes)'),
    502: errorResponse('Every candidate model failed'),
    503: errorResponse('Every candidate model is overloaded or cooling down'),
  },
})

/** `POST /v1/chat/completions`, OpenAI-compatible, on the model layer directly. */
export const chatCompletionsRoutes = createOpenApiApp().openapi(completions, async (c) => {
  const body = c.req.valid('json')
  const request = checkInlineImages(
    fromOpenAiRequest(body),
    c.get('services').config.IMAGE_MAX_BYTES,
  )
  const completion = await startModelWork(
    gateDeps(c.get('services')),
    requestContext(c, 'openai'),
    {
      kind: 'completion',
      model: body.model,
      request: { ...request, stream: body.stream === true },
    },
  )
  const id = `chatcmpl-${crypto.randomUUID().replaceAll('-', '')}`
  const created = Math.floor(Date.now() / 1000)
  c.header('x-outpost-model', completion.model)
  c.header('x-outpost-run-id', completion.runId)
  if (completion.route) c.header('x-outpost-route', routeHeader(completion.route))
  setCacheHeaders(c, completion.cache)
  setGuardHeader(c, completion.guard)

  if (!body.stream) {
    const answer = await collectCompletion(completion.events)
    c.header('x-outpost-model', completion.model)
    return c.json(chatCompletionView(id, created, completion.model, answer), 200)
  }

  const chunker = createChunker({
    id,
    created,
    model: () => completion.model,
    includeUsage: body.stream_options?.include_usage === true,
  })
  const heartbeat = sseHeartbeat(c.get('services').config)
  // A body the runtime pulls from (no writer racing a transform stream per chunk); its
  // cancellation, when the client goes away, ends the events and so the run.
  async function* pieces(): AsyncGenerator<string> {
    try {
      // Chunks are JSON (no raw newline): one `data:` line each, written as is.
      for await (const event of completion.events) yield chunkFrames(chunker.event(event))
      yield 'data: [DONE]\n\n'
    } catch (thrown) {
      // Headers are gone: the failure travels in the stream, as OpenAI sends it.
      const error = toAppError(thrown)
      const { message } = clientError(error)
      yield `data: ${JSON.stringify(openAiErrorBody(error, message))}\n\n`
    }
  }
  return c.body(
    textStream(pieces, {
      heartbeat,
      direct: c.get('services').directStreams,
      first: `data: ${chunker.start()}\n\n`,
    }),
    200,
    sseHeaders,
  ) as never
})

/** The `data:` frames of an event's chunks, as one piece (usually one chunk, or none). */
function chunkFrames(chunks: readonly string[]): string {
  let text = ''
  for (const chunk of chunks) text += `data: ${chunk}\n\n`
  return text
}
