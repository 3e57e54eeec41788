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
export function Layout(props: {
  title: string
  children: Child
  notices?: PageNotices
  /** The conversation sidebar (chat pages); the layout adds the checkbox that toggles it. */
  sidebar?: Child
}) {
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
        <script src="/chat.js" defer />
      </head>
      <body class={props.sidebar ? 'with-sidebar' : undefined}>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        {props.sidebar ? (
          // Checked means "the other way from the default": open on a phone (a drawer),
          // collapsed on a wide screen. Plain HTML and CSS, so it works without JavaScript.
          <input
            type="checkbox"
            id="sidebar-toggle"
            class="sidebar-toggle"
            aria-controls="sidebar"
          />
        ) : null}
        <header class="site-header">
          <nav aria-label="Site">
            {props.sidebar ? (
              <label for="sidebar-toggle" class="sidebar-button">
                <span aria-hidden="true">☰</span> Conversations
              </label>
            ) : null}
            <a class="brand" href="/">
              Outpost
            </a>
            <a class="new-chat" href="/#composer">
              New chat
            </a>
          </nav>
        </header>
        <Notices notices={props.notices} />
        <div class="shell">
          {props.sidebar}
          <main id="main" tabindex={-1}>
            {props.children}
          </main>
        </div>
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
