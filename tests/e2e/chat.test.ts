import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { browserAvailable, launchBrowser } from '../support/browser.ts'
import { type MockLlm, startMockLlm } from '../support/mock-llm/index.ts'
import { type RuntimeProcess, startRuntime, waitUntilReady } from '../support/runtime-process.ts'

const artifacts = join(import.meta.dirname, '..', '..', 'test-results', 'e2e')
const hasBrowser = browserAvailable()
const words = (text: string) => text.replace(/\s+/g, ' ').trim()
// Slow enough that a person (and a test) sees the answer grow word by word.
const chunkDelayMs = 60

/**
 * The provider is the mock LLM server, as the app's OpenAI-compatible endpoint. Each step
 * scripts an answer long enough for what it checks: a 250-word answer at 60 ms a word is
 * still streaming when a second tab opens, whatever the machine's load.
 */
let mock: MockLlm
beforeAll(async () => {
  mock = await startMockLlm({ defaultChunkDelayMs: chunkDelayMs })
})
afterAll(() => mock?.close())
beforeEach(() => mock?.reset())
const answerSlowly = (topic: string, length: number) =>
  mock.script({
    kind: 'text',
    text: Array.from({ length }, (_, i) => `${topic}${i + 1}`).join(' '),
    chunkDelayMs,
  })

for (const runtime of ['bun', 'workers'] as const) {
  describe.skipIf(!hasBrowser)(`chat in Chromium on ${runtime}`, () => {
    let browser: Browser
    let app: RuntimeProcess
    const shot = (page: Page, name: string) =>
      // caret: 'initial' keeps Playwright from injecting a style, which our CSP would refuse.
      page.screenshot({
        path: join(artifacts, `chat-${runtime}-${name}.png`),
        fullPage: true,
        caret: 'initial',
      })

    beforeAll(async () => {
      mkdirSync(artifacts, { recursive: true })
      const vars = { OPENAI_BASE_URL: `${mock.url}/v1`, LOCAL_MODEL: 'mock-1', LOG_LEVEL: 'warn' }
      app = await startRuntime(
        runtime,
        runtime === 'bun'
          ? { ...vars, SESSION_SECRET: 'e2e-session-secret-0123456789abcdef' }
          : vars,
      )
      await waitUntilReady(app)
      browser = await launchBrowser()
    }, 120_000)

    afterAll(async () => {
      await browser?.close()
      await app?.stop()
    })

    // The narrowest phone we support; the no-JavaScript run also checks the dark scheme.
    const newContext = (javaScriptEnabled: boolean): Promise<BrowserContext> =>
      browser.newContext({
        javaScriptEnabled,
        viewport: { width: 360, height: 800 },
        colorScheme: javaScriptEnabled ? 'light' : 'dark',
        reducedMotion: javaScriptEnabled ? 'no-preference' : 'reduce',
      })

    async function send(page: Page, text: string) {
      await page.fill('#composer-input', text)
      await page.click('#composer button[type="submit"]', { noWaitAfter: true })
    }

    /** Waits for the live answer to finish, remembering its last draft; returns both. */
    async function followToTheEnd(page: Page) {
      let draft = ''
      const deadline = Date.now() + 60_000
      while (Date.now() < deadline) {
        // One snapshot per look: the live answer may be replaced by the final one at any
        // moment, and a locator would then wait for an element that no longer exists.
        const live = await page.evaluate(() => {
          const answer = document.querySelector('.live')
          return answer ? (answer.querySelector('.answer-body')?.textContent ?? '') : null
        })
        if (live === null) break
        if (live) draft = words(live)
        await page.waitForTimeout(50)
      }
      const final = words(
        await page.locator('.message.assistant.final .markdown').last().innerText(),
      )
      return { draft, final }
    }

    it('with JavaScript: streams, survives a dropped stream, stops, and shows in a second tab', async () => {
      const context = await newContext(true)
      const page = await context.newPage()
      const problems: string[] = []
      page.on('pageerror', (error) => problems.push(error.message))
      page.on('console', (message) => {
        if (message.type() === 'error')
          problems.push(`${message.text()} at ${JSON.stringify(message.location())}`)
      })
      await page.goto(app.baseUrl)
      answerSlowly('first', 40)
      await send(page, 'Hello from the browser, please answer slowly')
      await page.waitForURL(/\/c\/[^/]+$/)
      await page.locator('.live .step').first().waitFor()
      const early = words(await page.locator('.live .answer-body').innerText())
      await page.waitForTimeout(400)
      const later = words(await page.locator('.live .answer-body').innerText())
      expect(later.length).toBeGreaterThan(early.length)
      expect(later.startsWith(early)).toBe(true)
      await shot(page, 'js-streaming')
      const first = await followToTheEnd(page)
      expect(first.final.startsWith(first.draft)).toBe(true)
      expect(await page.locator('.final .badge').innerText()).toContain('local:mock-1')
      await shot(page, 'js-answered')

      // Cut the stream mid-answer: htmx reconnects with Last-Event-ID and continues exactly.
      answerSlowly('second', 60)
      await send(page, 'Second question, to cut mid-answer')
      await page.locator('.live .step').first().waitFor()
      // Keyboard users keep their place: the emptied composer has the focus again.
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.id))
        .toBe('composer-input')
      await page.waitForTimeout(300)
      await page.evaluate(() => {
        const sink = document.querySelector('.live .sse-sink') as
          | (Element & { _htmx?: { sse?: { reader?: { cancel(): void } } } })
          | null
        sink?._htmx?.sse?.reader?.cancel()
      })
      await shot(page, 'js-after-cut')
      const resumed = await followToTheEnd(page)
      expect(resumed.draft.length).toBeGreaterThan(0)
      expect(resumed.final.startsWith(resumed.draft)).toBe(true)
      // The stored answer (after a reload) is the streamed one, word for word.
      await page.reload()
      const stored = words(
        await page.locator('.message.assistant.final .markdown').last().innerText(),
      )
      expect(stored).toBe(resumed.final)

      // A second tab sees a live answer as it streams.
      // Long enough (15 s) to still be streaming when a second page has loaded, even on a
      // machine running the whole suite at once.
      answerSlowly('third', 250)
      await send(page, 'Third question, watched from a second tab')
      await page.locator('.live .step').first().waitFor()
      const second = await context.newPage()
      await second.goto(page.url())
      await second.locator('.live .step').first().waitFor()
      await shot(second, 'js-second-tab')
      const watched = await followToTheEnd(second)
      const mine = await followToTheEnd(page)
      expect(watched.final).toBe(mine.final)
      await second.close()

      // A tool call shows as a card; usage and cost open on demand.
      // The model asks for the calculator; the mock's default reply then reads its result.
      mock.script({
        kind: 'tool-calls',
        calls: [{ name: 'calculator', arguments: { expression: '12 * (3 + 4)' } }],
      })
      await send(page, 'What is 12 * (3 + 4)?')
      // The tool round trip is short; wait for its final card rather than race the live one.
      await page.locator('.message.assistant.final .tool-card').first().waitFor()
      await followToTheEnd(page)
      const card = page.locator('.message.assistant.final .tool-card').last()
      await card.locator('summary').click()
      expect(await card.textContent()).toContain('calculator')
      await page.locator('.message.assistant.final .usage summary').last().click()
      expect(await page.locator('.message.assistant.final .usage').last().textContent()).toMatch(
        /input tokens/,
      )
      await page
        .locator('.message.assistant.final')
        .last()
        .screenshot({ path: join(artifacts, `chat-${runtime}-js-tool-card.png`), caret: 'initial' })

      // Rename in place, then delete (htmx sends us home).
      await page.click('.conversation-tools summary')
      await page.fill('#rename-title', 'Renamed with htmx')
      await page.click('.conversation-tools button:has-text("Rename")')
      await page.locator('h1:has-text("Renamed with htmx")').waitFor()

      // Stop a running answer.
      answerSlowly('fourth', 200)
      await send(page, 'Fourth question, to be stopped')
      await page.locator('.live .step').first().waitFor()
      await page.click('.live button:has-text("Stop")')
      await page.locator('.message.assistant.final[data-status="cancelled"]').waitFor()
      await shot(page, 'js-stopped')
      expect(problems).toEqual([])
      const conversation = page.url()
      await page.click('.conversation-tools summary')
      await page.click('button:has-text("Delete this conversation")')
      await page.waitForURL(`${app.baseUrl}/`)
      expect((await page.goto(conversation))?.status()).toBe(404)
      await context.close()
    }, 240_000)

    it('without JavaScript: streams into the run page, survives a reload, renames and deletes', async () => {
      const context = await newContext(false)
      const page = await context.newPage()
      await page.goto(app.baseUrl)
      answerSlowly('plain', 120)
      await send(page, 'Hello without JavaScript')
      await page.waitForURL(/\/c\/[^/]+\/runs\/[^/]+$/, { waitUntil: 'commit' })
      await page.locator('.answer-live .step').first().waitFor()
      const early = words(await page.locator('.answer-live .answer-body').innerText())
      await page.waitForTimeout(500)
      const later = words(await page.locator('.answer-live .answer-body').innerText())
      expect(later.length).toBeGreaterThan(early.length)
      await shot(page, 'nojs-streaming')

      // Reload mid-answer: the page replays the run log and keeps following.
      await page.reload({ waitUntil: 'commit' })
      await page.locator('.answer-live .step').first().waitFor()
      await shot(page, 'nojs-reloaded')
      await page.locator('.message.assistant.final').waitFor({ timeout: 30_000 })
      expect(await page.locator('.answer-live').isVisible()).toBe(false)
      await page.locator('#composer').waitFor()
      await shot(page, 'nojs-answered')

      // Rename and delete, as plain forms.
      const conversation = page.url().replace(/\/runs\/[^/]+$/, '')
      await page.goto(conversation)
      await page.click('.conversation-tools summary')
      await page.fill('#rename-title', 'Renamed without JS')
      await page.click('.conversation-tools button:has-text("Rename")')
      await page.waitForURL(conversation)
      expect(await page.locator('h1').innerText()).toBe('Renamed without JS')
      await shot(page, 'nojs-renamed')
      await page.click('.conversation-tools summary')
      await page.click('button:has-text("Delete this conversation")')
      await page.waitForURL(`${app.baseUrl}/`)
      expect(await page.locator('main').innerText()).not.toContain('Renamed without JS')
      await shot(page, 'nojs-deleted')
      expect((await page.goto(conversation))?.status()).toBe(404)
      await context.close()
    }, 120_000)
  })
}
