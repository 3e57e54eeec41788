import { Hono } from 'hono'
import type { AppEnv } from '../../app-env.ts'
import { findMessage } from '../../core/chat/find-message.ts'
import { storedImages } from '../../core/chat/history-messages.ts'
import { NotFoundError } from '../../core/errors.ts'
import { fromBase64 } from '../../core/images/image-upload.ts'
import { guestContext } from './guest-context.ts'

/**
 * `GET /c/:id/messages/:messageId/images/:index`: an image attached to a message, for its
 * owner only (anyone else gets the same 404 as for a missing image). The bytes were checked
 * by their magic numbers when they came in, so the stored type is the real one; a message
 * never changes, so the browser may keep the image for good, privately.
 */
export const imageRoutes = new Hono<AppEnv>().get(
  '/c/:id/messages/:messageId/images/:index',
  async (c) => {
    const { ownerId, deps } = guestContext(c)
    const index = Number(c.req.param('index'))
    const message = await findMessage(
      deps.history,
      ownerId,
      c.req.param('id'),
      c.req.param('messageId'),
    )
    const image = message && Number.isInteger(index) ? storedImages(message)[index] : undefined
    if (!image) throw new NotFoundError('No such image')
    const bytes = fromBase64(image.data)
    return c.body(bytes, 200, {
      'content-type': image.mediaType,
      'content-length': String(bytes.byteLength),
      'cache-control': 'private, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      // An image opened on its own cannot run anything, whatever a browser makes of it.
      'content-security-policy': "default-src 'none'; sandbox",
    })
  },
)
