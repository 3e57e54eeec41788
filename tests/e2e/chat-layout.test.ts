import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { browserAvailable } from '../support/browser.ts'
import { startBrowserApp } from '../support/browser-app.ts'
import { type MockLlm, startMockLlm } from '../support/mock-llm/index.ts'
import type { RuntimeProcess } from '../support/runtime-process.ts'

const artifacts = join(import.meta.dirname, '..', '..', 'test-results', 'e2e')
const hasBrowser = browserAvailable()
const chunkDelayMs = 40

let mock: MockLlm
beforeAll(async () => {
  mock = await startMockLlm({ defaultChunkDelayMs: chunkDelayMs })
})
afterAll(() => mock?.close())
beforeEach(() => mock?.reset())
const answer = (topic: string, length: number) =>
  mock.script({
    kind: 'text',
    text: Array.from({ length }, (_, i) => `${topic}${i + 1}`).join(' '),
    chunkDelayMs,
  })

/** The layouts every check runs in: a phone and a desktop, light and dark. */
const views = [
  { name: 'phone-light', width: 360, height: 740, colorScheme: 'light', javaScript: true },
  { name: 'desktop-dark', width: 1280, height: 800, colorScheme: 'dark', javaScript: true },
  { name: 'phone-dark', width: 360, height: 740, colorScheme: 'dark', javaScript: false },
  { name: 'desktop-light', width: 1280, height: 800, colorScheme: 'light', javaScript: false },
] as const

describe.skipIf(!hasBrowser)('chat layout in Chromium (Bun)', () => {
  let browser: Browser
  let app: RuntimeProcess
  let stop: (() => Promise<void>) | undefined

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true })
    ;({ app, browser, stop } = await startBrowserApp({
      OPENAI_BASE_URL: `${mock.url}/v1`,
      LOCAL_MODEL: 'mock-1',
      LOG_LEVEL: 'warn',
      SESSION_SECRET: 'e2e-layout-secret-0123456789abcdef',
    }))
  }, 120_000)
  afterAll(() => stop?.())

  const shot = (page: Page, name: string, fullPage = false) =>
    page.screenshot({
      path: join(artifacts, `layout-${name}.png`),
      fullPage,
      caret: 'initial',
    })

  /** The composer's bottom edge sits at the window's bottom edge (pinned), within a pixel. */
  async function expectPinnedComposer(page: Page) {
    const box = await page.locator('#composer').boundingBox()
    const height = page.viewportSize()?.height ?? 0
    expect(box).not.toBeNull()
    expect(Math.abs((box?.y ?? 0) + (box?.height ?? 0) - height)).toBeLessThanOrEqual(1)
  }

  /** The sidebar: beside the chat on a desktop, a drawer behind its toggle on a phone. */
  async function checkSidebar(page: Page, narrow: boolean, name: string) {
    const sidebar = page.locator('#sidebar')
    expect(await sidebar.isVisible()).toBe(!narrow)
    await page.click('label.sidebar-button')
    expect(await sidebar.isVisible()).toBe(narrow)
    if (narrow) {
      await shot(page, `${name}-drawer`)
      await page.click('#sidebar label.sidebar-close')
    } else {
      await shot(page, `${name}-collapsed`)
      await page.click('label.sidebar-button')
    }
    expect(await sidebar.isVisible()).toBe(!narrow)
  }

  for (const view of views) {
    const { javaScript } = view
    const name = `${view.name}-${javaScript ? 'js' : 'nojs'}`
    const narrow = view.width < 700

    it(`${name}: sidebar, pinned composer, sending, search and export`, async () => {
      const context: BrowserContext = await browser.newContext({
        javaScriptEnabled: javaScript,
        viewport: { width: view.width, height: view.height },
        colorScheme: view.colorScheme,
        acceptDownloads: true,
      })
      const page = await context.newPage()
      await page.goto(app.baseUrl)
      answer('first', 60)
      await page.fill('#composer-input', `Tell me about ${view.name}`)
      if (javaScript) {
        // Enter sends; Shift+Enter adds a line first.
        await page.press('#composer-input', 'Shift+Enter')
        await page.type('#composer-input', 'please')
        expect(await page.inputValue('#composer-input')).toBe(`Tell me about ${view.name}\nplease`)
        await page.press('#composer-input', 'Enter')
        await page.waitForURL(/\/c\/[^/]+$/)
        // While the answer streams there is no Regenerate, and the caret is back in the composer.
        await page.locator('.live .step').first().waitFor()
        expect(await page.locator('#regenerate form').count()).toBe(0)
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('composer-input')
        expect(await page.title()).toBe(`Tell me about ${view.name} · Outpost`)
        await shot(page, `${name}-streaming`)
        await page.locator('.message.assistant.final').waitFor({ timeout: 30_000 })
        await page.locator('#regenerate form').waitFor()
      } else {
        await page.click('#composer button[type="submit"]')
        await page.locator('.message.assistant.final').waitFor({ timeout: 30_000 })
        await page.goto(page.url().replace(/\/runs\/[^/]+$/, ''))
        expect(await page.title()).toBe(`Tell me about ${view.name} · Outpost`)
      }
      // A second exchange, so the page is longer than the window.
      answer('second', 120)
      await page.fill('#composer-input', 'And more, at length')
      await page.click('#composer button[type="submit"]')
      await page.locator('.message.assistant.final').nth(1).waitFor({ timeout: 30_000 })
      if (!javaScript) await page.goto(page.url().replace(/\/runs\/[^/]+$/, ''))
      await page.evaluate(() => window.scrollTo(0, 0))
      await expectPinnedComposer(page)
      expect(await page.locator('.badge-model').first().innerText()).toMatch(/ · local:mock-1$/)
      await shot(page, `${name}-conversation`)
      await shot(page, `${name}-conversation-full`, true)

      await checkSidebar(page, narrow, name)

      // Search, as a GET form (the drawer holds it on a phone).
      if (narrow) await page.click('label.sidebar-button')
      await page.fill('#search-q', view.name.toUpperCase())
      await page.press('#search-q', 'Enter')
      await page.waitForURL(/\/search\?q=/)
      await expect(page.locator('.search-results a').first().innerText()).resolves.toContain(
        view.name,
      )
      await shot(page, `${name}-search`)

      // Export: a download of the conversation as Markdown.
      await page.click('.search-results a')
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('a:has-text("Export as Markdown")'),
      ])
      expect(download.suggestedFilename()).toMatch(/^Tell-me-about-.*\.md$/)
      await context.close()
    }, 180_000)
  }
})
