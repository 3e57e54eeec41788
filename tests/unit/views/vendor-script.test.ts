import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Layout } from '../../../src/views/layout.tsx'
import { vendorScriptPath } from '../../../src/views/vendor-script.ts'

const root = join(import.meta.dirname, '..', '..', '..')

describe('the vendor script', () => {
  it('is one built file holding htmx, then the SSE extension that registers with it', () => {
    const bundle = readFileSync(join(root, 'public', vendorScriptPath), 'utf8')
    const htmx = bundle.indexOf('this.version="4.')
    const sse = bundle.indexOf('registerExtension("sse"')
    expect(htmx).toBeGreaterThan(-1)
    expect(sse).toBeGreaterThan(htmx)
    expect(bundle).not.toContain('sourceMappingURL')
  })

  it('is the only vendor script a page loads, so htmx never initialises without the extension', () => {
    const page = String(Layout({ title: 'Outpost', children: 'hi' }))
    const scripts = [...page.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
    // Then only our own progressive touches, which need neither htmx nor its extension.
    expect(scripts).toEqual([
      `<script src="${vendorScriptPath}" defer="">`,
      '<script src="/chat.js" defer="">',
    ])
  })
})
