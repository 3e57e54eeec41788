import { createRoute, z } from '@hono/zod-openapi'
import { NotFoundError } from '../../core/errors.ts'
import {
  forgetAllMemories,
  forgetMemory,
  listMemories,
  type MemoryEntry,
} from '../../core/facts/manage-memories.ts'
import { chatDeps } from '../../core/request-deps.ts'
import { bearerSecurity, createOpenApiApp, ownerOf } from '../http/openapi-app.ts'
import { ErrorSchema } from './api-schemas.ts'

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } })
const errors = {
  400: { description: 'Invalid request', ...json(ErrorSchema) },
  401: { description: 'Missing, unknown or revoked API key', ...json(ErrorSchema) },
}
const base = { tags: ['Memory'], security: bearerSecurity }

const MemorySchema = z
  .object({
    id: z.string(),
    text: z.string(),
    kind: z
      .string()
      .openapi({ description: '`fact`, or `exchange` for memories kept before facts' }),
    conversation_id: z.string().nullable().openapi({ description: 'Where it was said' }),
    message_id: z.string().nullable().openapi({ description: 'The message it was taken from' }),
    created_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Memory')

const list = createRoute({
  ...base,
  method: 'get',
  path: '/api/memories',
  summary: 'What Outpost remembers about you, newest first',
  request: {
    query: z.object({
      q: z.string().max(200).optional().openapi({ description: 'Only memories matching this' }),
    }),
  },
  responses: {
    200: { description: 'Your memories', ...json(z.object({ data: z.array(MemorySchema) })) },
    ...errors,
  },
})
const removeOne = createRoute({
  ...base,
  method: 'delete',
  path: '/api/memories/{id}',
  summary: 'Forget one memory',
  request: {
    params: z.object({
      id: z
        .string()
        .min(1)
        .max(400)
        .openapi({ param: { name: 'id', in: 'path' } }),
    }),
  },
  responses: {
    204: { description: 'Forgotten' },
    404: { description: 'No such memory (or not yours)', ...json(ErrorSchema) },
    ...errors,
  },
})
const removeAll = createRoute({
  ...base,
  method: 'delete',
  path: '/api/memories',
  summary: 'Forget everything Outpost remembers about you',
  responses: {
    200: { description: 'How many were forgotten', ...json(z.object({ deleted: z.number() })) },
    ...errors,
  },
})

function memoryView(memory: MemoryEntry) {
  return {
    id: memory.id,
    text: memory.text,
    kind: memory.kind,
    conversation_id: memory.conversationId ?? null,
    message_id: memory.messageId ?? null,
    created_at: new Date(memory.createdAt).toISOString(),
  }
}

/** `/api/memories`: list and search, forget one, forget all; always the calling key's owner. */
export const memoryRoutes = createOpenApiApp()
  .openapi(list, async (c) => {
    const memories = await listMemories(
      chatDeps(c.var.services),
      ownerOf(c),
      c.req.valid('query').q,
    )
    return c.json({ data: memories.map(memoryView) }, 200)
  })
  .openapi(removeOne, async (c) => {
    const forgotten = await forgetMemory(c.var.services.memory, ownerOf(c), c.req.valid('param').id)
    if (!forgotten) throw new NotFoundError('No such memory')
    return c.body(null, 204)
  })
  .openapi(removeAll, async (c) => {
    const deleted = await forgetAllMemories(c.var.services.memory, ownerOf(c))
    return c.json({ deleted }, 200)
  })
