import { describe, expect, it } from 'vitest'
import {
  checkImage,
  imageFromDataUrl,
  imagesFromDataUrls,
  sniffImageType,
} from '../../../src/core/images/image-upload.ts'

const bytes = (...values: number[]) => new Uint8Array([...values, ...new Array(16).fill(0)])
const png = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)
const jpeg = bytes(0xff, 0xd8, 0xff, 0xe0)
const gif = new TextEncoder().encode('GIF89a....')
const webp = new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 ')
const b64 = (data: Uint8Array) => Buffer.from(data).toString('base64')

describe('sniffImageType', () => {
  it('knows PNG, JPEG, GIF (87a and 89a) and WebP by their magic numbers', () => {
    expect(sniffImageType(png)).toBe('image/png')
    expect(sniffImageType(jpeg)).toBe('image/jpeg')
    expect(sniffImageType(gif)).toBe('image/gif')
    expect(sniffImageType(new TextEncoder().encode('GIF87a'))).toBe('image/gif')
    expect(sniffImageType(webp)).toBe('image/webp')
  })

  it('knows nothing else: SVG, HTML, a RIFF that is not WebP, a truncated PNG, nothing', () => {
    expect(sniffImageType(new TextEncoder().encode('<svg/>'))).toBeUndefined()
    expect(sniffImageType(new TextEncoder().encode('<!doctype html>'))).toBeUndefined()
    expect(sniffImageType(new TextEncoder().encode('RIFF\0\0\0\0WAVEfmt '))).toBeUndefined()
    expect(sniffImageType(png.subarray(0, 4))).toBeUndefined()
    expect(sniffImageType(new Uint8Array())).toBeUndefined()
  })
})

describe('checkImage', () => {
  it('returns the sniffed type and the base64 bytes', () => {
    expect(checkImage(png, { maxBytes: 100, label: 'x' })).toEqual({
      mediaType: 'image/png',
      data: b64(png),
    })
    // image/jpg is what some clients say for JPEG.
    expect(
      checkImage(jpeg, { maxBytes: 100, label: 'x', declaredType: 'image/jpg' }),
    ).toMatchObject({ mediaType: 'image/jpeg' })
  })

  it('refuses a declared type the bytes contradict, and bytes of no accepted type (415)', () => {
    expect(() => checkImage(png, { maxBytes: 100, label: 'x', declaredType: 'image/gif' })).toThrow(
      expect.objectContaining({ code: 'image_type_unsupported', status: 415 }),
    )
    expect(() => checkImage(bytes(1, 2, 3), { maxBytes: 100, label: 'x' })).toThrow(
      expect.objectContaining({ code: 'image_type_unsupported' }),
    )
  })

  it('refuses more than maxBytes (413) before looking at the type', () => {
    expect(() => checkImage(new Uint8Array(101), { maxBytes: 100, label: 'x' })).toThrow(
      expect.objectContaining({ code: 'image_too_large', status: 413 }),
    )
  })
})

describe('imageFromDataUrl', () => {
  it('reads a base64 data URL, with parameters before ;base64', () => {
    expect(
      imageFromDataUrl(`data:image/png;base64,${b64(png)}`, { maxBytes: 100, label: 'x' }),
    ).toMatchObject({ mediaType: 'image/png' })
    expect(
      imageFromDataUrl(`data:image/webp;name=a.webp;base64,${b64(webp)}`, {
        maxBytes: 100,
        label: 'x',
      }),
    ).toMatchObject({ mediaType: 'image/webp' })
  })

  it('refuses other URLs (400), a big one by its length before decoding (413)', () => {
    for (const url of ['https://example.com/a.png', 'data:image/png,raw', 'data:;base64,AAAA']) {
      expect(() => imageFromDataUrl(url, { maxBytes: 100, label: 'x' })).toThrow(
        expect.objectContaining({ code: 'invalid_request', status: 400 }),
      )
    }
    const big = `data:image/png;base64,${'A'.repeat(1_000_000)}`
    expect(() => imageFromDataUrl(big, { maxBytes: 100, label: 'x' })).toThrow(
      expect.objectContaining({
        code: 'image_too_large',
        details: expect.objectContaining({ size_bytes: 750_000 }),
      }),
    )
  })

  it('labels each image of a list by its position, and counts them', () => {
    const good = `data:image/png;base64,${b64(png)}`
    expect(() => imagesFromDataUrls([good, 'data:image/png;base64,AAAA'], 100)).toThrow(
      /images\[1\] is not a PNG/,
    )
    expect(() => imagesFromDataUrls(new Array(5).fill(good), 100)).toThrow(
      expect.objectContaining({ code: 'too_many_images' }),
    )
  })
})
