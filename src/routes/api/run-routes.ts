import { createRoute } from '@hono/zod-openapi'
import { chatDeps } from '../../core/request-deps.ts'
import { decideApproval } from '../../core/runs/decide-approval.ts'
import { cancelRun, followRun, getRun } from '../../core/runs/run-access.ts'
import { bearerSecurity, createOpenApiApp, ownerOf } from '../http/openapi-app.ts'
import {
  ApprovalDecisionSchema,
  ApprovalResultSchema,
  CancelSchema,
  ErrorSchema,
  EventStreamSchema,
  IdParamSchema,
  RunSchema,
} from './api-schemas.ts'
import { runView } from './api-views.ts'
import { lastEventId, runEventStream } from './run-event-stream.ts'

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } })
const errors = {
  401: { description: 'Missing, unknown or revoked API key', ...json(ErrorSchema) },
  404: { description: 'No such run (or not yours, or expired)', ...json(ErrorSchema) },
}
const base = { tags: ['Runs'], security: bearerSecurity }

const get = createRoute({
  ...base,
  method: 'get',
  path: '/api/runs/{id}',
  summary: 'A run: status, route, usage and cost',
  request: { params: IdParamSchema },
  responses: { 200: { description: 'The run', ...json(RunSchema) }, ...errors },
})

const events = createRoute({
  ...base,
  method: 'get',
  path: '/api/runs/{id}/events',
  summary: 'The run events as Server-Sent Events, resumable with Last-Event-ID',
  request: { params: IdParamSchema },
  responses: {
    200: {
      description: 'Every event after Last-Event-ID, then live ones until the run ends',
      content: { 'text/event-stream': { schema: EventStreamSchema } },
    },
    ...errors,
  },
})

const cancel = createRoute({
  ...base,
  method: 'post',
  path: '/api/runs/{id}/cancel',
  summary: 'Ask a live run to stop',
  request: { params: IdParamSchema },
  responses: {
    202: {
      description: '`cancelled` is false when the run had already ended',
      ...json(CancelSchema),
    },
    ...errors,
  },
})

const approve = createRoute({
  ...base,
  method: 'post',
  path: '/api/runs/{id}/approvals',
  summary: 'Approve or deny a tool call the run is waiting on',
  description:
    'Answers an `approval-request` event. The run continues: an approved call runs, a denied ' +
    'one gives the model an error result. No answer before the deadline counts as Deny.',
  request: { params: IdParamSchema, body: { required: true, ...json(ApprovalDecisionSchema) } },
  responses: {
    200: { description: 'Decided; the run goes on', ...json(ApprovalResultSchema) },
    400: { description: 'Malformed body', ...json(ErrorSchema) },
    ...errors,
    409: {
      description: 'Already decided (by the user or the timeout), or the run has ended',
      ...json(ErrorSchema),
    },
  },
})

/** REST for runs, scoped to the API key's user: another user's run is a 404. */
export const runRoutes = createOpenApiApp()
  .openapi(get, async (c) => {
    const { run, live } = await getRun(
      chatDeps(c.var.services),
      ownerOf(c),
      c.req.valid('param').id,
    )
    return c.json(runView(run, live), 200)
  })
  .openapi(events, async (c) => {
    const entries = await followRun(
      chatDeps(c.var.services),
      ownerOf(c),
      c.req.valid('param').id,
      lastEventId(c),
      { signal: c.req.raw.signal },
    )
    return runEventStream(c, entries) as never
  })
  .openapi(cancel, async (c) => {
    const cancelled = await cancelRun(chatDeps(c.var.services), ownerOf(c), c.req.valid('param').id)
    return c.json({ cancelled }, 202)
  })
  .openapi(approve, async (c) => {
    const { call_id, decision } = c.req.valid('json')
    await decideApproval(chatDeps(c.var.services), ownerOf(c), {
      runId: c.req.valid('param').id,
      callId: call_id,
      decision,
    })
    return c.json({ call_id, decision }, 200)
  })
