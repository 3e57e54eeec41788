import type { Child } from 'hono/jsx'
import { vendorScriptPath } from './vendor-script.ts'

/** Plain notices shown under the header on every page (demo model, sessions that end). */
export interface PageNotices {
  demoModel?: boolean
  ephemeralSession?: boolean
}

/**
 * The document shell shared by every full page. Only our own stylesheet and scripts are
 * referenced, so the page works behind the CSP the security-headers middleware sets; htmx is
 * told not to inject its indicator styles (the CSP forbids inline styles; ours cover them).
 * htmx and its SSE extension come as one script (see scripts/copy-vendor.mjs for why).
 */
export function Layout(props: { title: string; children: Child; notices?: PageNotices }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="htmx-config" content='{"includeIndicatorCSS":false}' />
        <title>{props.title === 'Outpost' ? 'Outpost' : `${props.title} · Outpost`}</title>
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/styles.css" />
        <script src={vendorScriptPath} defer />
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <nav aria-label="Site">
            <a class="brand" href="/">
              Outpost
            </a>
            <a class="new-chat" href="/#composer">
              New chat
            </a>
          </nav>
        </header>
        <Notices notices={props.notices} />
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
      </body>
    </html>
  )
}

function Notices(props: { notices: PageNotices | undefined }) {
  const { demoModel, ephemeralSession } = props.notices ?? {}
  if (!demoModel && !ephemeralSession) return null
  return (
    <aside class="site-notices" aria-label="Notices">
      {demoModel ? (
        <p class="notice" data-notice="demo-model">
          No model provider is configured: answers come from the built-in{' '}
          <strong>demo model</strong>, which only imitates one.
        </p>
      ) : null}
      {ephemeralSession ? (
        <p class="notice" data-notice="ephemeral-session">
          SESSION_SECRET is not set: your session lives only as long as this server instance, and
          your conversations may disappear with it.
        </p>
      ) : null}
    </aside>
  )
}
