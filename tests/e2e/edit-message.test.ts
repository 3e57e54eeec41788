import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { browserAvailable } from '../support/browser.ts'
import { startBrowserApp } from '../support/browser-app.ts'
import { type MockLlm, startMockLlm } from '../support/mock-llm/index.ts'
import type { RuntimeProcess } from '../support/runtime-process.ts'

const artifacts = join(import.meta.dirname, '..', '..', 'test-results', 'e2e')
const hasBrowser = browserAvailable()
const chunkDelayMs = 30

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

/** A phone and a desktop, with JavaScript and without. */
const views = [
  { width: 360, javaScript: true },
  { width: 1280, javaScript: true },
  { width: 360, javaScript: false },
  { width: 1280, javaScript: false },
] as const

describe.skipIf(!hasBrowser)('edit-and-resend in Chromium (Bun)', () => {
  let browser: Browser
  let app: RuntimeProcess
  let stop: (() => Promise<void>) | undefined

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true })
    ;({ app, browser, stop } = await startBrowserApp({
      OPENAI_BASE_URL: `${mock.url}/v1`,
      LOCAL_MODEL: 'mock-1',
      LOG_LEVEL: 'warn',
      SESSION_SECRET: 'e2e-edit-secret-0123456789abcdef',
    }))
  }, 120_000)
  afterAll(() => stop?.())

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(artifacts, `edit-${name}.png`), caret: 'initial' })
  const focused = (page: Page) =>
    page.evaluate(() => {
      const element = document.activeElement
      return element?.id || element?.className || ''
    })
  const conversationUrl = (page: Page) => page.url().replace(/\/(runs\/[^/]+|edit)$/, '')

  for (const view of views) {
    const name = `${view.width}-${view.javaScript ? 'js' : 'nojs'}`

    it(`${name}: edits the last message; the new answer replaces the old question and answer`, async () => {
      const context = await browser.newContext({
        javaScriptEnabled: view.javaScript,
        viewport: { width: view.width, height: 760 },
      })
      const page = await context.newPage()
      const problems: string[] = []
      page.on('pageerror', (error) => problems.push(error.message))
      await page.goto(app.baseUrl)

      // Two exchanges: only the second question may be edited.
      answer('alpha', 12)
      await page.fill('#composer-input', 'First question, kept')
      await page.click('#composer button[type="submit"]')
      await page.locator('.message.assistant.final').waitFor({ timeout: 30_000 })
      if (!view.javaScript) await page.goto(conversationUrl(page))
      answer('oldanswer', 12)
      await page.fill('#composer-input', 'Original question about cats')
      await page.click('#composer button[type="submit"]')
      await page.locator('.message.assistant.final').nth(1).waitFor({ timeout: 30_000 })
      if (!view.javaScript) await page.goto(conversationUrl(page))
      const url = conversationUrl(page)

      // One Edit, on the last user message, and only once its answer is done.
      const edits = page.locator('.message-edit:visible')
      await edits.first().waitFor()
      expect(await edits.count()).toBe(1)
      const lastUser = page.locator('.message.user').last()
      expect(await lastUser.locator('.message-edit').isVisible()).toBe(true)
      expect(
        await page.locator('.message.user').first().locator('.message-edit:visible').count(),
      ).toBe(0)

      if (view.javaScript) {
        // In place: the message becomes a labelled form, focus in its text; Escape restores.
        await page.click('.message-edit:visible')
        await page.locator('.edit-form textarea').waitFor()
        expect(page.url()).toBe(url)
        expect(await page.inputValue('.edit-form textarea')).toBe('Original question about cats')
        expect(await focused(page)).toBe('edit-input')
        expect(await page.locator('label[for="edit-input"]').innerText()).toBe('Edit your message')
        await shot(page, `${name}-form`)
        await page.press('#edit-input', 'Escape')
        await page.locator('.edit-form').waitFor({ state: 'detached' })
        expect(await page.locator('.message.user').last().innerText()).toContain(
          'Original question about cats',
        )
        expect(await focused(page)).toBe('message-edit')
        // Again, and Enter sends.
        await page.click('.message-edit:visible')
        await page.locator('#edit-input').waitFor()
        expect(await focused(page)).toBe('edit-input')
        answer('newanswer', 40)
        await page.fill('#edit-input', 'Edited question about dogs')
        await page.press('#edit-input', 'Enter')
        await page.locator('.live[aria-busy="true"]').waitFor()
        // While the new answer streams nothing offers Edit (and the caret is in the composer).
        expect(await page.locator('.message-edit:visible').count()).toBe(0)
        expect(await focused(page)).toBe('composer-input')
        await shot(page, `${name}-streaming`)
        await page.locator('.message.assistant.final').nth(1).waitFor({ timeout: 30_000 })
      } else {
        // A plain link to a page with the form; the browser puts the caret in it (autofocus).
        await page.click('.message-edit:visible')
        await page.waitForURL(/\/edit$/)
        expect(await page.inputValue('#edit-input')).toBe('Original question about cats')
        expect(await focused(page)).toBe('edit-input')
        await shot(page, `${name}-form`)
        // Cancel is a link back to the conversation.
        await page.click('.edit-cancel')
        await page.waitForURL((u) => u.pathname === new URL(url).pathname)
        await page.click('.message-edit:visible')
        await page.waitForURL(/\/edit$/)
        answer('newanswer', 40)
        await page.fill('#edit-input', 'Edited question about dogs')
        await page.click('.edit-form button[type="submit"]')
        await page.waitForURL(/\/runs\/[^/]+$/)
        await page.locator('.message.assistant.final').nth(1).waitFor({ timeout: 30_000 })
        await shot(page, `${name}-run-page`)
        await page.goto(url)
      }

      // The old question and its answer are gone; the first exchange and the new one stay.
      await page.locator('.message-edit:visible').waitFor()
      const text = await page.locator('#messages').innerText()
      expect(text).toContain('First question, kept')
      expect(text).toContain('alpha1')
      expect(text).toContain('Edited question about dogs')
      expect(text).toContain('newanswer40')
      expect(text).not.toContain('Original question about cats')
      expect(text).not.toContain('oldanswer1')
      expect(await page.locator('.message.user').count()).toBe(2)
      expect(await page.locator('.message.assistant').count()).toBe(2)
      await shot(page, `${name}-after`)
      // And so after a reload.
      await page.reload()
      const reloaded = await page.locator('#messages').innerText()
      expect(reloaded).not.toContain('Original question about cats')
      expect(reloaded).toContain('Edited question about dogs')
      expect(problems).toEqual([])
      await context.close()
    }, 120_000)
  }
})
