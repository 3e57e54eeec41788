import type { Message } from '../core/domain/history-records.ts'
import { chatUrls } from '../urls.ts'

/**
 * The images a user attached to a message, as thumbnails that open full size. They are
 * served by the owner-checked image route, never inlined: the page stays small however large
 * the images are, and the browser caches each one.
 */
export function MessageImages(props: { conversationId: string; message: Message }) {
  const count = props.message.content.filter((part) => part.type === 'image').length
  if (count === 0) return null
  const urls = Array.from({ length: count }, (_, index) =>
    chatUrls.image(props.conversationId, props.message.id, index),
  )
  return (
    <div class="message-images">
      {urls.map((url, index) => (
        <a href={url}>
          <img
            src={url}
            alt={`Attachment ${index + 1} of ${urls.length}`}
            loading="lazy"
            decoding="async"
          />
        </a>
      ))}
    </div>
  )
}
