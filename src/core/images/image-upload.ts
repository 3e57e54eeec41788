import { AppError } from '../errors.ts'

/** The image types a message may carry: what every vision model we route to reads. */
export const imageTypes = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const

/** One of `imageTypes`. */
export type ImageType = (typeof imageTypes)[number]

/** An image attached to a user message, checked: its real type and its bytes in base64. */
export interface ImageUpload {
  mediaType: ImageType
  /** The image's bytes, base64 (standard alphabet, padded). */
  data: string
}

/** How many images one message may carry. */
export const maxImagesPerMessage = 4

/**
 * The type the bytes say they are, by their magic numbers: the declared type (a form's
 * Content-Type, a data URL's prefix) is the client's claim, never trusted on its own.
 */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  const starts = (offset: number, ...values: number[]) =>
    values.every((value, at) => bytes[offset + at] === value)
  if (starts(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png'
  if (starts(0, 0xff, 0xd8, 0xff)) return 'image/jpeg'
  if (starts(0, 0x47, 0x49, 0x46, 0x38) && (bytes[4] === 0x37 || bytes[4] === 0x39))
    return bytes[5] === 0x61 ? 'image/gif' : undefined
  // RIFF....WEBP
  if (starts(0, 0x52, 0x49, 0x46, 0x46) && starts(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp'
  return undefined
}

/**
 * Checks one image: a type we accept by its bytes (and, when the client declared one, the
 * same type it declared), at most `maxBytes`. Rejects with 415 `image_type_unsupported` or
 * 413 `image_too_large`, naming the image by `label` so a form can say which one.
 */
export function checkImage(
  bytes: Uint8Array,
  options: { declaredType?: string; maxBytes: number; label: string },
): ImageUpload {
  if (bytes.byteLength > options.maxBytes) {
    throw imageTooLarge(options.label, bytes.byteLength, options.maxBytes)
  }
  const sniffed = sniffImageType(bytes)
  const declared = options.declaredType?.split(';')[0]?.trim().toLowerCase()
  const agrees =
    !declared || declared === sniffed || (declared === 'image/jpg' && sniffed === 'image/jpeg')
  if (!sniffed || !agrees) throw imageTypeUnsupported(options.label)
  return { mediaType: sniffed, data: toBase64(bytes) }
}

/** 415 `image_type_unsupported`, naming the image. */
export function imageTypeUnsupported(label: string): AppError {
  return new AppError('image_type_unsupported', `${label} is not a PNG, JPEG, WebP or GIF image`, {
    status: 415,
    details: { accepted: imageTypes },
  })
}

/** The bytes base64 text decodes to, from its length: four characters per three bytes. */
export function base64Size(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0
  return Math.floor((base64.length * 3) / 4) - padding
}

/** 413 `image_too_large`, naming the image and both sizes. */
export function imageTooLarge(label: string, sizeBytes: number, maxBytes: number): AppError {
  return new AppError(
    'image_too_large',
    `${label} is ${sizeBytes} bytes; the limit is ${maxBytes}`,
    { status: 413, details: { limit_bytes: maxBytes, size_bytes: sizeBytes } },
  )
}

/** The limit on images per message, as the error a client sees. */
export function checkImageCount(count: number): void {
  if (count > maxImagesPerMessage) {
    throw new AppError(
      'too_many_images',
      `A message may carry at most ${maxImagesPerMessage} images`,
      { status: 400, details: { limit: maxImagesPerMessage } },
    )
  }
}

/**
 * An image given as a `data:` URL (REST, WebSocket): `data:image/png;base64,...`. The URL's
 * type is only a claim: the bytes are checked as for an upload.
 */
export function imageFromDataUrl(
  url: string,
  options: { maxBytes: number; label: string },
): ImageUpload {
  const match =
    /^data:([\w.+-]+\/[\w.+-]+)(?:;[\w-]+=[\w.-]+)*;base64,([A-Za-z0-9+/]*={0,2})$/.exec(url)
  if (!match) {
    throw new AppError(
      'invalid_request',
      `${options.label} must be a data URL: data:image/png;base64,...`,
      { status: 400 },
    )
  }
  const base64 = match[2] ?? ''
  // Refuse a huge string before decoding it.
  const size = base64Size(base64)
  if (size > options.maxBytes) throw imageTooLarge(options.label, size, options.maxBytes)
  return checkImage(fromBase64(base64), { ...options, declaredType: match[1] })
}

/** Bytes from base64 (every runtime has atob). */
export function fromBase64(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64)
  const bytes = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i)
  return bytes
}

function toBase64(bytes: Uint8Array): string {
  let text = ''
  // In slices: String.fromCharCode with a few million arguments overflows the stack.
  for (let at = 0; at < bytes.length; at += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(at, at + 0x8000))
  }
  return btoa(text)
}

/** Images given as data URLs (REST, WebSocket), each checked; labelled by position. */
export function imagesFromDataUrls(urls: readonly string[], maxBytes: number): ImageUpload[] {
  checkImageCount(urls.length)
  return urls.map((url, index) => imageFromDataUrl(url, { maxBytes, label: `images[${index}]` }))
}
