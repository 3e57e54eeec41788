import type { Context } from 'hono'
import type { AppEnv } from '../../app-env.ts'
import {
  checkImage,
  checkImageCount,
  type ImageUpload,
  imageTooLarge,
} from '../../core/images/image-upload.ts'

/** The composer's file input: `<input type="file" name="image" multiple>`. */
export const imageField = 'image'

/**
 * The images a multipart form attached, each checked by its bytes (type) and size. An empty
 * file input still sends one part with no name and no bytes: that is no image, not a bad one.
 * A url-encoded form (the composer before it had a file input, or a script) carries none.
 */
export async function formImages(c: Context<AppEnv>): Promise<ImageUpload[]> {
  const value = (await c.req.parseBody({ all: true }))[imageField]
  const parts = (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (part): part is File => typeof part !== 'string' && part.size > 0,
  )
  checkImageCount(parts.length)
  const maxBytes = c.var.services.config.IMAGE_MAX_BYTES
  const images: ImageUpload[] = []
  for (const part of parts) {
    const label = part.name ? `"${part.name.slice(0, 80)}"` : 'The image'
    // Checked against the limit before reading, so an oversized file is never buffered twice.
    if (part.size > maxBytes) throw imageTooLarge(label, part.size, maxBytes)
    const bytes = new Uint8Array(await part.arrayBuffer())
    images.push(checkImage(bytes, { declaredType: part.type || undefined, maxBytes, label }))
  }
  return images
}
