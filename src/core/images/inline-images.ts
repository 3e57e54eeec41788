import type { ChatMessage, ChatRequest, ContentPart } from '../models/chat-model.ts'
import { base64Size, imageTooLarge, imageTypeUnsupported, sniffImageType } from './image-upload.ts'

// Enough base64 for the longest signature sniffed (WebP: 12 bytes), in whole groups of four.
const sniffedChars = 24

/**
 * Checks the inline images a compatible endpoint passes on (OpenAI's `data:` URLs,
 * Anthropic's base64 sources) as the chat's own surfaces check theirs: at most `maxBytes`
 * (413 `image_too_large`, sized from the base64 without decoding it), and a PNG, JPEG, WebP
 * or GIF by its first bytes (415 `image_type_unsupported`). Unchecked, a client's broken
 * image reached the provider and came back as a 502. The declared type is only a claim: it
 * becomes the sniffed one, as OpenAI reads a mislabelled image and Anthropic would refuse it.
 * An image by URL is the provider's to fetch.
 */
export function checkInlineImages(request: ChatRequest, maxBytes: number): ChatRequest {
  let count = 0
  const checked = (part: ContentPart): ContentPart => {
    if (part.type !== 'image' || !('data' in part)) return part
    count += 1
    const label = `The request's image ${count}`
    const size = base64Size(part.data)
    if (size > maxBytes) throw imageTooLarge(label, size, maxBytes)
    const sniffed = sniffImageType(firstBytes(part.data))
    if (!sniffed) throw imageTypeUnsupported(label)
    return sniffed === part.mediaType ? part : { ...part, mediaType: sniffed }
  }
  const messages = request.messages.map(
    (message): ChatMessage =>
      message.role === 'user' && typeof message.content !== 'string'
        ? { ...message, content: message.content.map(checked) }
        : message,
  )
  return count === 0 ? request : { ...request, messages }
}

/** The first bytes of base64 text; none when it does not decode. */
function firstBytes(base64: string): Uint8Array {
  try {
    const text = atob(base64.slice(0, sniffedChars))
    return Uint8Array.from(text, (char) => char.charCodeAt(0))
  } catch {
    return new Uint8Array()
  }
}
