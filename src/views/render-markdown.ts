import MarkdownIt from 'markdown-it'
import { FilterXSS } from 'xss'

// Module scope holds only env-free, secret-free state: a parser and a sanitizer.
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: false })

// Only http(s) and mailto links survive; markdown-it already refuses javascript:, vbscript:,
// file: and most data: URLs, this narrows it further (no data: images either).
markdown.validateLink = (url) => /^(https?:|mailto:|#|\/(?!\/))/i.test(url.trim())

const defaultLinkOpen =
  markdown.renderer.rules.link_open ??
  ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options))
markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
  const token = tokens[index]
  token?.attrSet('target', '_blank')
  token?.attrSet('rel', 'noopener noreferrer')
  return defaultLinkOpen(tokens, index, options, env, self)
}

/** Exactly what markdown-it emits with `html: false`, and nothing else. */
const sanitizer = new FilterXSS({
  whiteList: {
    p: [],
    br: [],
    hr: [],
    h1: [],
    h2: [],
    h3: [],
    h4: [],
    h5: [],
    h6: [],
    strong: [],
    em: [],
    s: [],
    blockquote: [],
    ul: [],
    ol: ['start'],
    li: [],
    code: ['class'],
    pre: [],
    a: ['href', 'title', 'target', 'rel'],
    img: ['src', 'alt', 'title'],
    table: [],
    thead: [],
    tbody: [],
    tr: [],
    th: ['style'],
    td: ['style'],
  },
  stripIgnoreTag: true,
  stripIgnoreTagBody: ['script', 'style'],
  onTagAttr: (tag, name, value) => {
    // Alignment comes as an inline style, which our CSP forbids: drop it.
    if (name === 'style') return ''
    if (tag === 'code' && name === 'class' && !/^language-[\w+-]+$/.test(value)) return ''
    return undefined
  },
})

/**
 * Model text as safe HTML: markdown rendered by markdown-it (raw HTML off, links opened in a
 * new tab with `rel="noopener noreferrer"`, only http(s)/mailto/relative links) and then
 * sanitized with an allowlist of the tags markdown-it produces.
 */
export function renderMarkdown(text: string): string {
  return sanitizer.process(markdown.render(text))
}
