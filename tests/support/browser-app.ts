import type { Browser } from 'playwright-core'
import { launchBrowser } from './browser.ts'
import {
  type RuntimeId,
  type RuntimeProcess,
  startRuntime,
  waitUntilReady,
} from './runtime-process.ts'

/** A runtime serving the app, and a headless browser to drive it. */
export interface BrowserApp {
  app: RuntimeProcess
  browser: Browser
  stop(): Promise<void>
}

/**
 * Starts the app on `runtime` with `vars`, renders its first page (which compiles the views
 * and opens the embedded database, slow on a busy machine, so it is kept out of any test's
 * clock), then launches Chromium.
 */
export async function startBrowserApp(
  vars: Record<string, string>,
  runtime: RuntimeId = 'bun',
): Promise<BrowserApp> {
  const app = await startRuntime(runtime, vars)
  let browser: Browser | undefined
  try {
    await waitUntilReady(app)
    await (await fetch(app.baseUrl, { headers: { Accept: 'text/html' } })).text()
    browser = await launchBrowser()
  } catch (error) {
    await app.stop()
    throw error
  }
  const opened = browser
  return {
    app,
    browser: opened,
    async stop() {
      await opened.close()
      await app.stop()
    },
  }
}
