import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { usageReport } from '../core/telemetry/usage-report.ts'
import { UsagePage } from '../views/usage-page.tsx'
import { guestContext, htmlPage } from './chat/guest-context.ts'

/** `GET /usage`: the visitor's tokens and cost per day and model over the last 30 days. */
export function usagePageRoutes(options: { now?: () => number } = {}): Hono<AppEnv> {
  const now = options.now ?? Date.now
  return new Hono<AppEnv>().get('/usage', async (c) => {
    const { ownerId, notices, deps } = guestContext(c)
    const report = await usageReport(deps.history, ownerId, { now: now() })
    c.header('Cache-Control', 'no-store')
    return htmlPage(c, <UsagePage report={report} notices={notices} />)
  })
}
