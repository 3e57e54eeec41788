import { z } from '@hono/zod-openapi'
import { agentEventNames } from '../../core/agent/agent-event.ts'

/** The project's JSON error body, as every /api route answers a failure. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      request_id: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error')

const iso = z.string().openapi({ format: 'date-time' })

/** A conversation as the REST API shows it. */
export const ConversationSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    created_at: iso,
    updated_at: iso,
  })
  .openapi('Conversation')

/** A stored message. */
export const MessageSchema = z
  .object({
    id: z.string(),
    role: z.enum(['system', 'user', 'assistant', 'tool']),
    content: z.array(z.object({ type: z.string() }).passthrough()),
    model: z.string().nullable(),
    tool_calls: z.array(z.object({ id: z.string(), name: z.string(), input: z.unknown() })),
    created_at: iso,
  })
  .openapi('Message')

export const ConversationListSchema = z
  .object({
    data: z.array(ConversationSchema),
    next_cursor: z.string().nullable(),
  })
  .openapi('ConversationList')

export const ConversationWithMessagesSchema = ConversationSchema.extend({
  messages: z.array(MessageSchema),
  messages_next_cursor: z.string().nullable(),
}).openapi('ConversationWithMessages')

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ example: 20 }),
  cursor: z.string().max(500).optional(),
})

export const IdParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' } }),
})

export const MessageParamSchema = IdParamSchema.extend({
  message_id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'message_id', in: 'path' } }),
})

export const EditMessageSchema = z
  .object({
    content: z.string().min(1).max(32_000),
    model: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: '`auto` (default), a tier, or `provider:model`' }),
  })
  .strict()
  .openapi('EditMessage')

export const NewConversationSchema = z
  .object({ title: z.string().max(200).optional() })
  .strict()
  .openapi('NewConversation')

export const RenameSchema = z
  .object({ title: z.string().min(1).max(200) })
  .strict()
  .openapi('Rename')

export const SendMessageSchema = z
  .object({
    content: z.string().min(1).max(32_000),
    model: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: '`auto` (default), a tier, or `provider:model`' }),
    images: z.array(z.string()).max(16).optional().openapi({
      description:
        'Images as base64 data URLs (`data:image/png;base64,...`): PNG, JPEG, WebP or GIF, checked by their bytes, at most 4 and `IMAGE_MAX_BYTES` each. They route the message to the vision tier.',
    }),
  })
  .strict()
  .openapi('SendMessage')

export const RunStartedSchema = z
  .object({
    run_id: z.string(),
    conversation_id: z.string(),
    message_id: z.string(),
    run_url: z.string(),
    events_url: z.string(),
  })
  .openapi('RunStarted')

export const RunSchema = z
  .object({
    id: z.string(),
    conversation_id: z.string(),
    status: z.enum(['running', 'completed', 'failed', 'cancelled']),
    live: z.boolean(),
    route: z.unknown(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }).nullable(),
    cost_usd: z.number().nullable(),
    started_at: iso,
    finished_at: iso.nullable(),
  })
  .openapi('Run')

export const CancelSchema = z.object({ cancelled: z.boolean() }).openapi('CancelResult')

export const ApprovalDecisionSchema = z
  .object({
    call_id: z
      .string()
      .min(1)
      .max(128)
      .openapi({ description: 'The `id` of the `approval-request` event' }),
    decision: z.enum(['approve', 'deny']),
  })
  .strict()
  .openapi('ApprovalDecision')

export const ApprovalResultSchema = z
  .object({ call_id: z.string(), decision: z.enum(['approve', 'deny']) })
  .openapi('ApprovalResult')

/** The `text/event-stream` of a run: `id` = seq, `event` = AgentEvent type, `data` = JSON. */
export const EventStreamSchema = z.string().openapi({
  description:
    'Server-Sent Events: `id:` is the event sequence number, `event:` the AgentEvent type ' +
    `(${agentEventNames.join(', ')}), \`data:\` the event as JSON. Reconnect with ` +
    '`Last-Event-ID` to receive exactly the events after it.',
})
