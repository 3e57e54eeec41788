import type { ChatMessage, ToolDefinition } from './chat-model.ts'

/**
 * What a model charges for one image, roughly: Anthropic about 1,600 tokens for the largest
 * image it reads unscaled (1.15 megapixels), OpenAI's high detail less. Providers count an
 * image by its pixels, never by the bytes of its base64.
 */
export const imageInputTokens = 1600

/** About four characters of text per token. */
const charsPerToken = 4

/** What every message adds besides its content (its role and framing): about four tokens. */
const messageChars = 16

/** A request's input as a model counts it: characters of text and tool data, and images. */
export interface InputSize {
  chars: number
  images: number
}

/**
 * The size of `messages` (and of the tools' definitions) before the call, for context-window
 * checks and reservations. Text counts by its characters, tool calls by their arguments' JSON,
 * an image as an image: counting a message's JSON counted an inline image's base64, so one
 * 690 KB photo was about 235,000 tokens, beyond every 200k context window, and was refused.
 * Arguments too deep to serialise fit no context window (Infinity).
 */
export function inputSize(
  messages: readonly ChatMessage[],
  tools: readonly ToolDefinition[] = [],
): InputSize {
  let chars = tools.length > 0 ? jsonLength(tools) : 0
  let images = 0
  for (const message of messages) {
    chars += messageChars
    if (typeof message.content === 'string') chars += message.content.length
    else {
      for (const part of message.content) {
        if (part.type === 'text') chars += part.text.length
        else images += 1
      }
    }
    if (message.role === 'assistant') {
      for (const call of message.toolCalls ?? []) chars += call.name.length + jsonLength(call.input)
    } else if (message.role === 'tool') chars += message.toolName.length
  }
  return { chars, images }
}

/** The tokens of an input's size; its text counted up to `maxChars` at most. */
export function inputTokens(size: InputSize, maxChars = Number.POSITIVE_INFINITY): number {
  return Math.ceil(Math.min(size.chars, maxChars) / charsPerToken) + size.images * imageInputTokens
}

function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0
  } catch {
    return Number.POSITIVE_INFINITY
  }
}
