import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserAvailable } from '../support/browser.ts'
import { startBrowserApp } from '../support/browser-app.ts'
import type { RuntimeProcess } from '../support/runtime-process.ts'

const hasBrowser = browserAvailable()
// The demo model asks the calculator for arithmetic; configuration makes that need approval.
const question = 'what is 12 * (3 + 4)?'

describe.skipIf(!hasBrowser)('tool approval in Chromium on Bun', () => {
  let browser: Browser
  let app: RuntimeProcess
  let stop: (() => Promise<void>) | undefined

  beforeAll(async () => {
    ;({ app, browser, stop } = await startBrowserApp({
      TOOLS_REQUIRING_APPROVAL: 'calculator',
      DEMO_WORD_DELAY_MS: '5',
      LOG_LEVEL: 'warn',
      SESSION_SECRET: 'e2e-session-secret-0123456789abcdef',
    }))
  }, 240_000)

  afterAll(() => stop?.())

  async function ask(page: Page) {
    await page.goto(app.baseUrl)
    await page.fill('#composer-input', question)
    await page.click('#composer button[type="submit"]', { noWaitAfter: true })
  }

  it('with JavaScript: the live answer asks, survives a reload, and goes on once approved', async () => {
    const context = await browser.newContext({ javaScriptEnabled: true })
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    await ask(page)
    await page.waitForURL(/\/c\/[^/]+$/)
    const approve = page.locator('.live .approval button[data-decision="approve"]')
    await approve.waitFor({ timeout: 30_000 })
    // Paused: the tool has not run.
    expect(await page.locator('.live .tool-card').getAttribute('data-tool-state')).toBe('running')
    // The request is in the run log: a reload shows it again.
    await page.reload()
    await approve.waitFor({ timeout: 30_000 })
    await approve.click()
    await page.locator('.message.assistant.final').waitFor({ timeout: 30_000 })
    expect(await page.locator('.message.assistant.final').innerText()).toContain('= 84')
    expect(await page.locator('.final .tool-card').getAttribute('data-tool-state')).toBe('ok')
    expect(problems).toEqual([])
    await context.close()
  }, 90_000)

  it('without JavaScript: the run page asks with plain forms, and a denial reaches the model', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    await ask(page)
    await page.waitForURL(/\/c\/[^/]+\/runs\/[^/]+$/, { waitUntil: 'commit' })
    const deny = page.locator('.approval button[data-decision="deny"]')
    await deny.waitFor({ timeout: 30_000 })
    await deny.click({ noWaitAfter: true })
    await page.locator('.message.assistant.final').waitFor({ timeout: 30_000 })
    expect(await page.locator('.approval-note').innerText()).toContain('You denied')
    expect(await page.locator('.approval button').count()).toBe(0)
    expect(await page.locator('.message.assistant.final').innerText()).toContain(
      'The calculator tool failed',
    )
    await context.close()
  }, 90_000)
})
