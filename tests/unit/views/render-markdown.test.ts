import { describe, expect, it } from 'vitest'
import { renderMarkdown } from '../../../src/views/render-markdown.ts'

describe('renderMarkdown', () => {
  it('renders markdown: code blocks, lists, tables, emphasis', () => {
    const html = renderMarkdown(
      '# Title\n\n- one\n- **two**\n\n```js\nlet a = 1 < 2\n```\n\n| a |\n|:-:|\n| 1 |',
    )
    expect(html).toContain('<h1>Title</h1>')
    expect(html).toContain('<li><strong>two</strong></li>')
    expect(html).toContain('<pre><code class="language-js">let a = 1 &lt; 2\n</code></pre>')
    expect(html).toContain('<th>a</th>')
    expect(html).not.toContain('style=')
  })

  it('opens links in a new tab with rel="noopener noreferrer"', () => {
    expect(renderMarkdown('[site](https://example.com)')).toContain(
      '<a href="https://example.com" target="_blank" rel="noopener noreferrer">site</a>',
    )
  })

  it('never lets model-written HTML or script URLs through', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script> <img src=x onerror=alert(1)> [a](javascript:alert(1)) [b](data:text/html,x) ![c](data:image/png;base64,AA) <a href="https://x" onclick="y">z</a>',
    )
    // Escaped text may mention them; no real tag or attribute may carry them.
    expect(html).not.toMatch(/<script|<img|<a [^>]*on\w+=|href="javascript|href="data|src="data/)
    expect(html).toContain('&lt;script&gt;')
  })
})
