import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { NotFoundError } from '../core/errors.ts'
import { forgetAllMemories, forgetMemory, listMemories } from '../core/facts/manage-memories.ts'
import { cutText } from '../core/text/plain-text.ts'
import { chatUrls } from '../urls.ts'
import { MemoryPage } from '../views/memory-page.tsx'
import { guestContext, htmlPage } from './chat/guest-context.ts'

const doneMessages: Record<string, string> = {
  one: 'Deleted that memory.',
  all: 'Deleted everything Outpost remembered about you.',
}

/**
 * `/memory`: the visitor's memories (`?q=` searches), and the forms that delete one or all
 * (POST, CSRF-checked, then back to the page: no JavaScript needed).
 */
export const memoryPageRoutes = new Hono<AppEnv>()
  .get('/memory', async (c) => {
    const { ownerId, csrfToken, notices, deps } = guestContext(c)
    const query = cutText(c.req.query('q') ?? '', 200)
    const memories = await listMemories(deps, ownerId, query)
    c.header('Cache-Control', 'no-store')
    return htmlPage(
      c,
      <MemoryPage
        memories={memories}
        query={query}
        keptDays={c.var.services.config.MEMORY_TTL_DAYS}
        csrfToken={csrfToken}
        notices={notices}
        done={doneMessages[c.req.query('done') ?? '']}
      />,
    )
  })
  .post('/memory/delete-all', async (c) => {
    const { ownerId, deps } = guestContext(c)
    await forgetAllMemories(deps, ownerId)
    return c.redirect(`${chatUrls.memory}?done=all`, 303)
  })
  .post('/memory/forget/:id', async (c) => {
    const { ownerId, deps } = guestContext(c)
    if (!(await forgetMemory(deps, ownerId, c.req.param('id')))) {
      throw new NotFoundError('No such memory')
    }
    return c.redirect(`${chatUrls.memory}?done=one`, 303)
  })
