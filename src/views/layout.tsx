import type { Child } from 'hono/jsx'

/**
 * The document shell shared by every full page. Only our own stylesheet and scripts are
 * referenced, so the page works behind the CSP the security-headers middleware sets.
 */
export function Layout(props: { title: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{props.title === 'Outpost' ? 'Outpost' : `${props.title} · Outpost`}</title>
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/styles.css" />
        <script src="/vendor/htmx.min.js" defer />
      </head>
      <body>
        <header class="site-header">
          <a class="brand" href="/">
            Outpost
          </a>
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  )
}
