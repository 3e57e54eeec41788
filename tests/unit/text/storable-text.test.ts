import { describe, expect, it } from 'vitest'
import {
  hasLoneSurrogate,
  storableJson,
  storableText,
  wellFormed,
} from '../../../src/core/text/storable-text.ts'

describe('storable text', () => {
  it('removes U+0000 and replaces lone surrogates, keeping pairs', () => {
    expect(storableText('nul \u0000 here')).toBe('nul  here')
    expect(storableText('a\ud800b')).toBe('a\ufffdb')
    expect(storableText('x\udc00')).toBe('x\ufffd')
    expect(storableText('ok 😀 ok')).toBe('ok 😀 ok')
    expect(hasLoneSurrogate('😀')).toBe(false)
    expect(hasLoneSurrogate('\ud83d')).toBe(true)
  })

  it('has a fallback that agrees with the native method', () => {
    const samples = ['', 'plain', '\ud800', '\udfff\ud800', '😀\ud83d', 'a\udc00\ud83d\ude00']
    for (const sample of samples) {
      const fallback = wellFormed.call(
        null,
        Object.assign(Object(sample), { toWellFormed: undefined }),
      )
      expect(String(fallback)).toBe(
        [...sample]
          .map((c) => (c.length === 1 && /[\ud800-\udfff]/.test(c) ? '\ufffd' : c))
          .join(''),
      )
    }
  })

  it('cleans every string of a JSON value, keys too, and cuts what is too deep', () => {
    expect(storableJson({ 'k\u0000': ['v\ud800', 1, null] })).toEqual({ k: ['v\ufffd', 1, null] })
    let deep: unknown = 'x'
    for (let i = 0; i < 100; i++) deep = [deep]
    expect(JSON.stringify(storableJson(deep, 3))).toBe('[[[null]]]')
  })
})

describe('plain user text', () => {
  it('refuses U+0000 and lone surrogates with a 400 text_invalid, and passes other text', async () => {
    const { requirePlainText, cutText } = await import('../../../src/core/text/plain-text.ts')
    for (const bad of ['a\u0000b', 'x\ud800', '\udc00y']) {
      expect(() => requirePlainText(bad, 'message')).toThrow(
        expect.objectContaining({ code: 'text_invalid', status: 400 }),
      )
    }
    for (const good of ['\ufeffBOM', 'tab\tand\u0007bell', 'emoji 😀', '\u2028']) {
      expect(requirePlainText(good, 'message')).toBe(good)
    }
    expect(cutText('ab😀', 3)).toBe('ab')
    expect(cutText('ab😀', 4)).toBe('ab😀')
  })
})
