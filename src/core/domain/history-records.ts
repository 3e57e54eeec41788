import type { RunStatus } from './run-status.ts'

/*
 * The domain records of episodic memory: users, conversations, messages and runs, as every
 * layer sees them. `HistoryStore` (history-store.ts) stores them; nothing here knows how.
 */

/** Input of `upsertUser`; absent fields are left as they are. */
export interface NewUser {
  id: string
  email?: string | null
  displayName?: string | null
}

/** An account. Times are milliseconds since epoch, as everywhere in this interface. */
export interface User {
  id: string
  email: string | null
  displayName: string | null
  createdAt: number
}

/** A chat thread. `updatedAt` is its last change (creation, rename or new message). */
export interface Conversation {
  id: string
  ownerId: string
  title: string
  createdAt: number
  updatedAt: number
}

/** Who wrote a message. */
export type MessageRole = 'system' | 'user' | 'assistant' | 'tool'

/** One part of a message's content (text, image, ...); stored as JSON as given. */
export interface ContentPart {
  type: string
  [field: string]: unknown
}

/** A tool call the model made, as recorded. */
export interface ToolCallRecord {
  id: string
  name: string
  input: unknown
}

/** The outcome of a tool call, as recorded. */
export interface ToolResultRecord {
  toolCallId: string
  output: unknown
  isError?: boolean
}

/** Tokens a model call consumed, and what they cost at the catalog's prices. */
export interface TokenUsage {
  inputTokens: number
  outputTokens: number
  /** US dollars; absent when the price was unknown. */
  costUsd?: number
}

/** Input of `appendMessages`. */
export interface NewMessage {
  role: MessageRole
  content: readonly ContentPart[]
  model?: string
  usage?: TokenUsage
  toolCalls?: readonly ToolCallRecord[]
  toolResults?: readonly ToolResultRecord[]
}

/** A stored message. */
export interface Message extends NewMessage {
  id: string
  conversationId: string
  content: ContentPart[]
  createdAt: number
}

/** Input of `createRun`; the status starts as `running` unless given. */
export interface NewRun {
  conversationId: string
  status?: RunStatus
  /** The routing decision (tier, candidates, reason) as JSON. */
  route?: unknown
}

/** Fields `updateRun` can change; absent ones are left as they are. */
export interface RunPatch {
  status?: RunStatus
  route?: unknown
  error?: { code: string; message: string } | null
  usage?: TokenUsage
  /** Milliseconds since epoch; set it when the run ends. */
  finishedAt?: number
}

/** A stored run. */
export interface Run {
  id: string
  conversationId: string
  status: RunStatus
  route?: unknown
  error?: { code: string; message: string }
  usage?: TokenUsage
  startedAt: number
  updatedAt: number
  finishedAt?: number
}

/** Which page to read: `limit` (default 20, at most 100) items after `cursor`. */
export interface PageRequest {
  limit?: number
  cursor?: string
}

/** A page of items; `nextCursor` is absent on the last page. */
export interface Page<T> {
  items: T[]
  nextCursor?: string
}
