/** A piece of a user message: text, or an image given inline (base64) or by URL. */
export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image'; mediaType: string; data: string }
  | { type: 'image'; url: string }

/** A tool call the model asked for; `input` is the parsed JSON arguments. */
export interface ToolCall {
  id: string
  name: string
  input: unknown
}

/** One message of a conversation, independent of any provider's wire format. */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ContentPart[] }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; toolName: string; content: string; isError?: boolean }

/** A tool the model may call: `inputSchema` is a JSON schema (an object schema). */
export interface ToolDefinition {
  name: string
  description: string
  inputSchema: Record<string, unknown>
}

/** Whether and which tool the model must call. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string }

/** One request to a chat model. */
export interface ChatRequest {
  messages: ChatMessage[]
  tools?: ToolDefinition[]
  toolChoice?: ToolChoice
  temperature?: number
  maxTokens?: number
  stop?: string[]
  /** false asks the provider for one JSON answer; events are still yielded. Default true. */
  stream?: boolean
  /**
   * Tokens the model may spend reasoning before it answers (Anthropic's extended thinking).
   * Providers that reason on their own (DeepSeek, vLLM reasoning parsers) ignore it and
   * stream their reasoning anyway.
   */
  thinkingBudget?: number
}

/** Why the model stopped. */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'other'

/** Token counts of one model call. */
export interface TokenUsage {
  inputTokens: number
  outputTokens: number
}

/**
 * What a model call yields, in order: reasoning and text deltas and complete tool calls (arguments already
 * assembled from their streamed fragments and parsed; unparseable arguments arrive as the raw
 * string so validation can reject them), then `usage` when known, then exactly one `finish`.
 */
export type ModelEvent =
  | { type: 'text-delta'; text: string }
  /**
   * A piece of the model's reasoning, never part of the answer. `signature` (Anthropic's
   * proof that the reasoning is the model's own) arrives once, on a delta with empty text,
   * when a reasoning block ends.
   */
  | { type: 'thinking-delta'; text: string; signature?: string }
  | { type: 'tool-call'; call: ToolCall }
  | ({ type: 'usage' } & TokenUsage)
  | { type: 'finish'; reason: FinishReason }

/**
 * A chat model behind one provider. `stream` starts the call lazily when iterated; aborting
 * `signal` cancels the provider request. Failures are thrown from the iterator as
 * `ProviderError` (with `retryable` and `retryAfterMs`), never as an SDK's own error type.
 */
export interface ChatModel {
  /** `provider:model`, as in the catalog. */
  readonly id: string
  readonly provider: string
  readonly model: string
  stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<ModelEvent>
}
