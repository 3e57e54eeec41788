import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserAvailable, launchBrowser } from '../support/browser.ts'
import { type RuntimeProcess, startRuntime, waitUntilReady } from '../support/runtime-process.ts'

const artifacts = join(import.meta.dirname, '..', '..', 'test-results', 'e2e')
const hasBrowser = browserAvailable()

for (const runtime of ['bun', 'workers'] as const) {
  describe.skipIf(!hasBrowser)(`home page in Chromium on ${runtime}`, () => {
    let browser: Browser
    let app: RuntimeProcess

    beforeAll(async () => {
      mkdirSync(artifacts, { recursive: true })
      app = await startRuntime(runtime)
      await waitUntilReady(app)
      browser = await launchBrowser()
    }, 120_000)

    afterAll(async () => {
      await browser?.close()
      await app?.stop()
    })

    for (const javaScriptEnabled of [true, false]) {
      // Two browser contexts and page loads: more than the default 20 s on a loaded machine.
      it(`renders with JavaScript ${javaScriptEnabled ? 'on' : 'off'}, CSP-clean, light and dark`, {
        timeout: 60_000,
      }, async () => {
        for (const colorScheme of ['light', 'dark'] as const) {
          const context = await browser.newContext({ javaScriptEnabled, colorScheme })
          const page = await context.newPage()
          const problems: string[] = []
          page.on('console', (message) => {
            if (message.type() === 'error' || message.type() === 'warning')
              problems.push(message.text())
          })
          page.on('pageerror', (error) => problems.push(error.message))
          const response = await page.goto(app.baseUrl)
          expect(response?.status()).toBe(200)
          await expect(page.locator('h1').textContent()).resolves.toBe('Outpost')
          await expect(page.locator(`[data-runtime="${runtime}"]`).count()).resolves.toBe(1)
          if (javaScriptEnabled) {
            // htmx loaded from our own origin, under our CSP.
            await expect(
              page.evaluate(() => typeof (window as { htmx?: unknown }).htmx),
            ).resolves.toBe('object')
          }
          expect(problems).toEqual([])
          await page.screenshot({
            path: join(
              artifacts,
              `home-${runtime}-js-${javaScriptEnabled ? 'on' : 'off'}-${colorScheme}.png`,
            ),
          })
          await context.close()
        }
      })
    }
  })
}
