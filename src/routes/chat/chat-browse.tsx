import { type Context, Hono } from 'hono'
import type { AppEnv } from '../../app-env.ts'
import { NotFoundError } from '../../core/errors.ts'
import { cutText } from '../../core/text/plain-text.ts'
import {
  conversationJson,
  conversationMarkdown,
  exportFileName,
} from '../../views/conversation-export.ts'
import { SearchPage } from '../../views/search-page.tsx'
import { allMessages } from './chat-pages.tsx'
import { chatSidebar } from './chat-sidebar.tsx'
import { guestContext, htmlPage } from './guest-context.ts'

/** The longest query searched; a longer one is cut (the sidebar's input allows no more). */
const maxQueryChars = 200

/**
 * Reading the owner's conversations in other ways than the page: search (`GET /search?q=`,
 * titles and message text) and downloads of one conversation as Markdown or JSON. Both only
 * ever see the guest's own conversations: a foreign id is a 404, like a missing one.
 */
export const chatBrowseRoutes = new Hono<AppEnv>()
  .get('/search', async (c) => {
    const guest = guestContext(c)
    const query = cutText((c.req.query('q') ?? '').trim(), maxQueryChars)
    const matches = query ? await guest.deps.history.searchConversations(guest.ownerId, query) : []
    return htmlPage(
      c,
      <SearchPage
        query={query}
        matches={matches}
        notices={guest.notices}
        sidebar={await chatSidebar(guest, { query })}
      />,
    )
  })
  .get('/c/:id/export.md', (c) => exportConversation(c, 'md'))
  .get('/c/:id/export.json', (c) => exportConversation(c, 'json'))

/** A download of the owner's conversation, whole, as Markdown or JSON. */
async function exportConversation(c: Context<AppEnv>, format: 'md' | 'json') {
  const { ownerId, deps } = guestContext(c)
  const conversation = await deps.history.getConversation(ownerId, c.req.param('id') ?? '')
  if (!conversation) throw new NotFoundError('No such conversation')
  const messages = await allMessages(deps, ownerId, conversation.id)
  const headers = {
    'Content-Disposition': `attachment; filename="${exportFileName(conversation, format)}"`,
    'Cache-Control': 'private, no-store',
  }
  if (format === 'json') return c.json(conversationJson(conversation, messages), 200, headers)
  return c.body(conversationMarkdown(conversation, messages), 200, {
    ...headers,
    'Content-Type': 'text/markdown; charset=utf-8',
  })
}
