import { z } from '@hono/zod-openapi'
import { parsedSynchronously } from '../http/sync-parse.ts'

const TextBlock = z.object({ type: z.literal('text'), text: z.string() }).loose()
const ImageBlock = z
  .object({
    type: z.literal('image'),
    source: z.discriminatedUnion('type', [
      z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() }).loose(),
      z.object({ type: z.literal('url'), url: z.string() }).loose(),
    ]),
  })
  .loose()
const ToolUseBlock = z
  .object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown() })
  .loose()
const ToolResultBlock = z
  .object({
    type: z.literal('tool_result'),
    tool_use_id: z.string(),
    content: z.union([z.string(), z.array(z.union([TextBlock, ImageBlock]))]).optional(),
    is_error: z.boolean().optional(),
  })
  .loose()
const Block = z.discriminatedUnion('type', [TextBlock, ImageBlock, ToolUseBlock, ToolResultBlock])

/** `POST /v1/messages`. Unknown fields are accepted and ignored. */
export const MessagesRequestSchema = parsedSynchronously(
  z
    .object({
      model: z.string().min(1).openapi({
        description: '`auto`, a tier (fast, smart, code, vision, local) or `provider:model`',
        example: 'auto',
      }),
      max_tokens: z.number().int().positive(),
      messages: z
        .array(
          z.object({
            role: z.enum(['user', 'assistant']),
            content: z.union([z.string(), z.array(Block)]),
          }),
        )
        .min(1),
      system: z.union([z.string(), z.array(TextBlock)]).optional(),
      tools: z
        .array(
          z
            .object({
              name: z.string().regex(/^[\w-]{1,64}$/),
              description: z.string().optional(),
              input_schema: z.record(z.string(), z.unknown()),
            })
            .loose(),
        )
        .optional(),
      tool_choice: z
        .discriminatedUnion('type', [
          z.object({ type: z.literal('auto') }).loose(),
          z.object({ type: z.literal('any') }).loose(),
          z.object({ type: z.literal('none') }).loose(),
          z.object({ type: z.literal('tool'), name: z.string() }).loose(),
        ])
        .optional(),
      stream: z.boolean().optional(),
      temperature: z.number().min(0).max(1).optional(),
      // Ignored, but held to the vendor's ranges: a client sending nonsense should hear so.
      top_p: z.number().min(0).max(1).optional(),
      top_k: z.number().int().min(0).optional(),
      stop_sequences: z.array(z.string().max(1000)).max(16).optional(),
      thinking: z
        .discriminatedUnion('type', [
          z
            .object({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024) })
            .loose(),
          z.object({ type: z.literal('disabled') }).loose(),
        ])
        .optional(),
    })
    .loose()
    .openapi('MessagesRequest'),
)

export type MessagesRequest = z.infer<typeof MessagesRequestSchema>

/** The non-streaming answer. */
export const MessageResponseSchema = z
  .object({
    id: z.string(),
    type: z.literal('message'),
    role: z.literal('assistant'),
    model: z.string(),
    content: z.array(z.union([TextBlock, ToolUseBlock])),
    stop_reason: z.enum(['end_turn', 'max_tokens', 'tool_use', 'stop_sequence']),
    stop_sequence: z.string().nullable(),
    usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }),
  })
  .openapi('MessageResponse')

/** The Anthropic-style error body of `/v1/messages`. */
export const AnthropicErrorSchema = z
  .object({
    type: z.literal('error'),
    error: z.object({ type: z.string(), message: z.string(), provider: z.string().optional() }),
  })
  .openapi('AnthropicError')
