import type { Message } from '../domain/history-records.ts'
import { type ImageUpload, imageTypes } from '../images/image-upload.ts'
import type { ChatMessage } from '../models/chat-model.ts'
import { guardMarkOf, userTextForModel } from './guard-mark.ts'

/** The images stored with a user message (`image` content parts), in order. */
export function storedImages(message: Pick<Message, 'content'>): ImageUpload[] {
  const images: ImageUpload[] = []
  for (const part of message.content) {
    if (part.type !== 'image' || typeof part.data !== 'string') continue
    const mediaType = imageTypes.find((type) => type === part.mediaType)
    if (mediaType) images.push({ mediaType, data: part.data })
  }
  return images
}

/** The text of a stored message: its text parts joined, other parts left out. */
export function messageText(message: Pick<Message, 'content'>): string {
  return message.content
    .filter(
      (part): part is { type: 'text'; text: string } =>
        part.type === 'text' && typeof part.text === 'string',
    )
    .map((part) => part.text)
    .join('\n')
}

/**
 * Stored messages as model context, oldest first. A past assistant message becomes its final
 * text: the tool calls behind it were already answered, and replaying them would ask the model
 * to reconcile results it cannot see again. A user message the injection guard flagged stays
 * wrapped as untrusted data in every later turn.
 */
export function toChatHistory(messages: readonly Message[]): ChatMessage[] {
  const history: ChatMessage[] = []
  for (const message of messages) {
    const text = messageText(message)
    if (message.role === 'user' && text) {
      history.push({ role: 'user', content: userTextForModel(text, guardMarkOf(message)) })
    } else if (message.role === 'assistant' && text)
      history.push({ role: 'assistant', content: text })
  }
  return history
}
