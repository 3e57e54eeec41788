import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

/** Debian's Chromium; `.ci/run` installs it when it is missing. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Whether a headless browser can run here. Without Chromium the e2e suites skip with a printed
 * reason, unless `REQUIRE_SERVICES=1`, where its absence fails the run.
 */
export function browserAvailable(): boolean {
  if (existsSync(chromiumPath)) return true
  const reason = `Chromium is not installed at ${chromiumPath} (apt-get install -y chromium)`
  if (process.env.REQUIRE_SERVICES === '1')
    throw new Error(`${reason}, and REQUIRE_SERVICES=1 requires it`)
  console.warn(`[skip] ${reason}; e2e tests skipped`)
  return false
}

/** Launches headless Chromium with the flags this offline machine needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}
