import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserAvailable } from '../support/browser.ts'
import { startBrowserApp } from '../support/browser-app.ts'
import { type MockLlm, startMockLlm } from '../support/mock-llm/index.ts'
import type { RuntimeProcess } from '../support/runtime-process.ts'

const artifacts = join(import.meta.dirname, '..', '..', 'test-results', 'e2e')
const hasBrowser = browserAvailable()
// Slow enough that the reasoning is still streaming when the test looks at it.
const chunkDelayMs = 80

/**
 * The provider is the mock LLM as Anthropic, with every tier asked to think
 * (THINKING_BUDGETS): the mock then streams a signed `thinking` block before the answer,
 * and describes the images it was sent, so the page shows what the vision tier saw.
 */
let mock: MockLlm
beforeAll(async () => {
  mock = await startMockLlm({ defaultChunkDelayMs: chunkDelayMs })
})
afterAll(() => mock?.close())

/** A 48×48 PNG in two colours, big enough to see in a screenshot. */
function squarePng(): Buffer {
  const size = 48
  const crc = (data: Buffer) => {
    let c = ~0
    for (const byte of data) {
      c ^= byte
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1
    }
    return ~c >>> 0
  }
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4)
    head.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type), data])
    const tail = Buffer.alloc(4)
    tail.writeUInt32BE(crc(body))
    return Buffer.concat([head, body, tail])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 2, 0, 0, 0], 8)
  const rows = Array.from({ length: size }, (_, y) =>
    Buffer.from([
      0,
      ...Array.from({ length: size }, (_, x) =>
        x < size / 2 === y < size / 2 ? [0xe5, 0x3e, 0x3e] : [0x2b, 0x6c, 0xb0],
      ).flat(),
    ]),
  )
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

const image = { name: 'squares.png', mimeType: 'image/png', buffer: squarePng() }

describe.skipIf(!hasBrowser)('thinking and images in Chromium', () => {
  let browser: Browser
  let app: RuntimeProcess
  let stop: (() => Promise<void>) | undefined
  const shot = (page: Page, name: string) =>
    page.screenshot({
      path: join(artifacts, `thinking-images-${name}.png`),
      fullPage: true,
      caret: 'initial',
    })

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true })
    ;({ app, browser, stop } = await startBrowserApp({
      ANTHROPIC_BASE_URL: mock.url,
      ANTHROPIC_API_KEY: 'sk-ant-e2e',
      THINKING_BUDGETS: 'fast=2048; smart=2048; code=2048; vision=2048; local=2048',
      SESSION_SECRET: 'e2e-session-secret-0123456789abcdef',
      LOG_LEVEL: 'warn',
    }))
  }, 240_000)

  afterAll(() => stop?.())

  const newContext = (javaScriptEnabled: boolean, width: number): Promise<BrowserContext> =>
    browser.newContext({
      javaScriptEnabled,
      viewport: { width, height: 900 },
      colorScheme: javaScriptEnabled ? 'light' : 'dark',
    })

  it('with JavaScript: the reasoning streams live in a Thinking section, then an image is answered by the vision tier', async () => {
    const context = await newContext(true, 1280)
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    await page.goto(app.baseUrl, { waitUntil: 'commit', timeout: 60_000 })
    await page.locator('#composer').waitFor({ timeout: 60_000 })
    await page.fill('#composer-input', 'Why is the sky blue? Explain it step by step.')
    await page.click('#composer button[type="submit"]', { noWaitAfter: true })
    // Live: the section is open and growing while no answer text exists yet.
    const live = page.locator('.live details.thinking[open] .thinking-text')
    await live.waitFor()
    const early = await live.innerText()
    await page.waitForTimeout(300)
    const later = await live.innerText()
    expect(later.length).toBeGreaterThan(early.length)
    expect(later.startsWith(early.trim())).toBe(true)
    await shot(page, 'js-thinking-live')
    // Finished: the reasoning is kept, folded, apart from the answer.
    const final = page.locator('.message.assistant.final').last()
    await final.waitFor({ timeout: 30_000 })
    expect(await final.locator('details.thinking').getAttribute('open')).toBeNull()
    expect(await final.locator('.markdown').innerText()).not.toContain('Mock reasoning')
    await final.locator('details.thinking summary').click()
    expect(await final.locator('.thinking-text').innerText()).toMatch(/^Mock reasoning:/)
    await shot(page, 'js-thinking-done')

    // An image, attached in the same composer and posted by htmx as multipart.
    await page.setInputFiles('#composer input[type="file"]', image)
    await page.fill('#composer-input', 'What is in this picture?')
    await page.click('#composer button[type="submit"]', { noWaitAfter: true })
    const answered = page.locator('.message.assistant.final').nth(1)
    await answered.waitFor({ timeout: 30_000 })
    expect(await answered.locator('.markdown').innerText()).toContain('I see 1 image.')
    // The router's reason sits in the badge's closed disclosure: read it, not what shows.
    expect(await answered.locator('.badge-reason').textContent()).toContain(
      'has an image to look at',
    )
    const thumbnail = page.locator('.message.user img').first()
    await thumbnail.waitFor()
    expect(await thumbnail.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(48)
    await shot(page, 'js-image-answered')
    // Reloaded, both survive: the thinking from the stored message, the image from its route.
    await page.reload({ waitUntil: 'commit', timeout: 60_000 })
    await page.locator('#composer').waitFor({ timeout: 60_000 })
    expect(await page.locator('.message.assistant.final details.thinking').count()).toBe(2)
    expect(await page.locator('.message.user img').first().getAttribute('alt')).toBe(
      'Attachment 1 of 1',
    )
    expect(problems).toEqual([])
    await context.close()
  }, 240_000)

  it('without JavaScript: thinking streams in the run page, and an image is answered by the vision tier', async () => {
    const context = await newContext(false, 360)
    const page = await context.newPage()
    await page.goto(app.baseUrl, { waitUntil: 'commit', timeout: 60_000 })
    await page.locator('#composer').waitFor({ timeout: 60_000 })
    await page.setInputFiles('#composer input[type="file"]', image)
    await page.fill('#composer-input', 'Describe this picture, thinking first.')
    await page.click('#composer button[type="submit"]', { noWaitAfter: true })
    await page.waitForURL(/\/c\/[^/]+\/runs\/[^/]+$/, { waitUntil: 'commit' })
    // The streamed draft opens a Thinking section before any answer text.
    await page.locator('.answer-live details.thinking[open] .thinking-text span').first().waitFor()
    expect(await page.locator('.answer-live .step').count()).toBe(0)
    await shot(page, 'nojs-thinking-live')
    const final = page.locator('.message.assistant.final')
    await final.waitFor({ timeout: 30_000 })
    expect(await final.locator('.markdown').innerText()).toContain('I see 1 image.')
    expect(await final.locator('details.thinking').count()).toBe(1)
    expect(
      await page
        .locator('.message.user img')
        .evaluate((img) => (img as HTMLImageElement).naturalWidth),
    ).toBe(48)
    await shot(page, 'nojs-image-answered')
    await context.close()
  }, 240_000)
})
