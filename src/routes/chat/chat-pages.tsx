import { Hono } from 'hono'
import type { AppEnv } from '../../app-env.ts'
import { NotFoundError } from '../../core/errors.ts'
import { followRun, getRun } from '../../core/runs/run-access.ts'
import { ConversationPage } from '../../views/conversation-page.tsx'
import { ConversationView } from '../../views/conversation-view.tsx'
import { HomePage } from '../../views/home-page.tsx'
import { Layout } from '../../views/layout.tsx'
import { LiveAnswer } from '../../views/live-answer.tsx'
import { streamedAnswer } from '../../views/streamed-answer.tsx'
import { textStream } from '../http/text-stream.ts'
import { chatSidebar } from './chat-sidebar.tsx'
import { guestContext, htmlPage, renderToString } from './guest-context.ts'
import { beforeRunAnswer } from './live-run.ts'

const slot = '<template id="answer-slot"></template>'

/**
 * The chat pages: home (conversation list and a composer), a conversation, and a run's page,
 * which streams the answer as plain HTML while it is produced (no JavaScript needed).
 */
export const chatPageRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const guest = guestContext(c)
    const { ownerId, csrfToken, notices, deps, models } = guest
    const { runtime, stores } = c.var.services
    const page = await deps.history.listConversations(ownerId, {
      limit: 20,
      cursor: c.req.query('cursor') || undefined,
    })
    return htmlPage(
      c,
      <HomePage
        runtime={runtime}
        stores={stores}
        conversations={page.items}
        nextCursor={page.nextCursor}
        csrfToken={csrfToken}
        notices={notices}
        models={models}
        sidebar={await chatSidebar(guest)}
      />,
    )
  })
  .get('/c/:id', async (c) => {
    const guest = guestContext(c)
    const { ownerId, csrfToken, notices, deps, models } = guest
    const id = c.req.param('id')
    const conversation = await deps.history.getConversation(ownerId, id)
    if (!conversation) throw new NotFoundError('No such conversation')
    const live = await deps.live.find(deps, ownerId, id)
    const messages = await allMessages(deps, ownerId, id)
    return htmlPage(
      c,
      <ConversationPage
        conversation={conversation}
        messages={live ? beforeRunAnswer(messages, live) : messages}
        csrfToken={csrfToken}
        notices={notices}
        models={models}
        sidebar={await chatSidebar(guest, { currentId: id })}
        live={
          live ? <LiveAnswer conversationId={id} runId={live.id} csrfToken={csrfToken} /> : null
        }
      />,
    )
  })
  .get('/c/:id/runs/:runId', async (c) => {
    const guest = guestContext(c)
    const { ownerId, csrfToken, notices, deps, models } = guest
    const id = c.req.param('id')
    const runId = c.req.param('runId')
    const conversation = await deps.history.getConversation(ownerId, id)
    if (!conversation) throw new NotFoundError('No such conversation')
    const { run, logged } = await getRun(deps, ownerId, runId, { conversationId: id })
    const messages = await allMessages(deps, ownerId, id)
    const decided = new Set<string>()
    for (const { event } of await deps.runLog.read(runId)) {
      if (event.type === 'approval') decided.add(event.id)
    }
    const sidebar = await chatSidebar(guest, { currentId: id })
    // Expired from the run log (or never logged): history holds the answer, if there is one.
    if (!logged) {
      return htmlPage(
        c,
        <ConversationPage
          conversation={conversation}
          messages={messages}
          csrfToken={csrfToken}
          notices={notices}
          models={models}
          sidebar={sidebar}
        />,
      )
    }
    const page = await renderToString(
      <Layout title={conversation.title || 'Conversation'} notices={notices} sidebar={sidebar}>
        <ConversationView
          conversation={conversation}
          messages={beforeRunAnswer(messages, run)}
          csrfToken={csrfToken}
          models={models}
          live={<template id="answer-slot" />}
          streaming={false}
        />
      </Layout>,
    )
    const [head = '', tail = ''] = page.split(slot)
    // An HTML comment is the one chunk that changes nothing wherever the answer has got to.
    const keepAlive = { everyMs: c.var.services.config.STREAM_HEARTBEAT_MS, text: '<!-- -->\n' }
    const body = textStream(
      async function* (signal) {
        yield `<!doctype html>${head}`
        yield* streamedAnswer(
          { conversationId: id, runId, csrfToken, decided },
          await followRun(deps, ownerId, runId, 0, { conversationId: id, signal }),
        )
        yield tail
      },
      { signal: c.req.raw.signal, heartbeat: keepAlive, direct: c.var.services.directStreams },
    )
    return c.body(body, 200, {
      'Content-Type': 'text/html; charset=utf-8',
      // Compression would buffer the stream (workerd compresses text/html by itself unless the
      // encoding is set); no-transform asks proxies the same.
      'Content-Encoding': 'identity',
      'Cache-Control': 'no-store, no-transform',
      'X-Accel-Buffering': 'no',
    })
  })

export async function allMessages(
  deps: ReturnType<typeof guestContext>['deps'],
  ownerId: string,
  conversationId: string,
) {
  const items = []
  let cursor: string | undefined
  // Conversations are short enough to show whole; a page holds at most 100.
  for (let pages = 0; pages < 20; pages++) {
    const page = await deps.history.listMessages(ownerId, conversationId, { limit: 100, cursor })
    if (!page) break
    items.push(...page.items)
    cursor = page.nextCursor
    if (!cursor) break
  }
  return items
}
