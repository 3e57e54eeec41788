import { z } from '@hono/zod-openapi'
import { parsedSynchronously } from '../http/sync-parse.ts'

const TextPart = z.object({ type: z.literal('text'), text: z.string() }).loose()
const ImagePart = z
  .object({
    type: z.literal('image_url'),
    image_url: z.object({ url: z.string().max(20_000_000), detail: z.string().optional() }).loose(),
  })
  .loose()
const UserContent = z.union([z.string(), z.array(z.union([TextPart, ImagePart])).min(1)])
const TextContent = z.union([z.string(), z.array(TextPart)])

const ToolCall = z
  .object({
    id: z.string(),
    type: z.literal('function').default('function'),
    function: z.object({ name: z.string(), arguments: z.string() }),
  })
  .loose()

/** One message of an OpenAI chat request. */
export const OpenAiMessageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.enum(['system', 'developer']), content: TextContent }).loose(),
  z.object({ role: z.literal('user'), content: UserContent }).loose(),
  z
    .object({
      role: z.literal('assistant'),
      content: TextContent.nullable().optional(),
      tool_calls: z.array(ToolCall).optional(),
    })
    .loose(),
  z.object({ role: z.literal('tool'), tool_call_id: z.string(), content: TextContent }).loose(),
])

const Tool = z
  .object({
    type: z.literal('function'),
    function: z
      .object({
        name: z.string().regex(/^[\w-]{1,64}$/),
        description: z.string().optional(),
        parameters: z.record(z.string(), z.unknown()).optional(),
      })
      .loose(),
  })
  .loose()

/**
 * `POST /v1/chat/completions`. Unknown fields are accepted and ignored (see the docs' list of
 * unsupported parameters), as a drop-in replacement must.
 */
export const ChatCompletionRequestSchema = parsedSynchronously(
  z
    .object({
      model: z.string().min(1).openapi({
        description: '`auto`, a tier (fast, smart, code, vision, local) or `provider:model`',
        example: 'auto',
      }),
      messages: z.array(OpenAiMessageSchema).min(1),
      stream: z.boolean().optional(),
      stream_options: z
        .object({ include_usage: z.boolean().optional() })
        .loose()
        .nullable()
        .optional(),
      tools: z.array(Tool).optional(),
      tool_choice: z
        .union([
          z.enum(['none', 'auto', 'required']),
          z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
        ])
        .optional(),
      n: z.number().int().nullable().optional().openapi({ description: 'Only 1 is supported' }),
      stop: z
        .union([z.string().max(1000), z.array(z.string().max(1000)).max(4)])
        .nullable()
        .optional(),
      max_tokens: z.number().int().positive().nullable().optional(),
      max_completion_tokens: z.number().int().positive().nullable().optional(),
      temperature: z.number().min(0).max(2).nullable().optional(),
      // Ignored, but held to the vendor's ranges: a client sending nonsense should hear so.
      top_p: z.number().min(0).max(1).nullable().optional(),
      frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
      presence_penalty: z.number().min(-2).max(2).nullable().optional(),
      seed: z.number().int().nullable().optional(),
      user: z.string().max(256).optional(),
    })
    .loose()
    .openapi('ChatCompletionRequest'),
)

export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>

const Usage = z.object({
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  total_tokens: z.number(),
})

/** The non-streaming answer. */
export const ChatCompletionSchema = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: z.number(),
    model: z.string(),
    system_fingerprint: z.null(),
    choices: z.array(
      z.object({
        index: z.number(),
        message: z.object({
          role: z.literal('assistant'),
          content: z.string().nullable(),
          refusal: z.null(),
          tool_calls: z.array(ToolCall).optional(),
        }),
        finish_reason: z.enum(['stop', 'length', 'tool_calls', 'content_filter']),
        logprobs: z.null(),
      }),
    ),
    usage: Usage,
  })
  .openapi('ChatCompletion')

/** The OpenAI-style error body of the /v1 OpenAI surface. */
export const OpenAiErrorSchema = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string(),
      param: z.string().nullable(),
      code: z.string(),
      provider: z.string().optional(),
    }),
  })
  .openapi('OpenAiError')

/** `GET /v1/models`. */
export const ModelListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(
      z.object({
        id: z.string(),
        object: z.literal('model'),
        created: z.number(),
        owned_by: z.string(),
        kind: z.enum(['router', 'tier', 'model']),
        candidates: z.array(z.string()).optional(),
        capabilities: z
          .object({ tools: z.boolean(), vision: z.boolean(), context_window: z.number() })
          .optional(),
        price: z.object({ input_per_mtok: z.number(), output_per_mtok: z.number() }).optional(),
      }),
    ),
  })
  .openapi('ModelList')
