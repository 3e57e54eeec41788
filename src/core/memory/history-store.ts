import type { DailyUsage, UsageRange } from './daily-usage.ts'

export type { DailyUsage, UsageRange }

import type {
  Conversation,
  Message,
  NewMessage,
  NewRun,
  NewUser,
  Page,
  PageRequest,
  Run,
  RunPatch,
  User,
} from '../domain/history-records.ts'

/** A conversation found by `searchConversations`, with the message text that matched. */
export interface ConversationMatch {
  conversation: Conversation
  /** The first message (oldest) whose text contains the query; absent when only the title does. */
  messageText?: string
}

/** The number of matches `searchConversations` returns by default, and at most. */
export const searchLimits = { default: 20, max: 50 } as const

/**
 * Episodic memory: users, their conversations, the messages in them and the agent runs that
 * answered. Implementation: `createPostgresHistoryStore` (PGlite, Neon, plain PostgreSQL).
 *
 * Ownership is part of every call: each method takes the acting user's id, and a conversation
 * (with its messages and runs) that belongs to someone else, or that was deleted, behaves
 * exactly like one that does not exist. "Not found" is a value (`undefined` or `false`),
 * never an error. Lists are pages with an opaque `nextCursor`; following cursors visits every
 * item once, even when timestamps tie.
 *
 * Every method rejects only with `StoreError` (or `ValidationError` for a malformed cursor).
 */
export interface HistoryStore {
  /** Creates the user or updates the given fields of an existing one. */
  upsertUser(user: NewUser): Promise<User>
  /** The user, or `undefined`. */
  getUser(id: string): Promise<User | undefined>

  /** Starts a conversation owned by `ownerId`, who must exist (see `upsertUser`). */
  createConversation(ownerId: string, input?: { title?: string }): Promise<Conversation>
  /** The owner's conversation, or `undefined` when absent, foreign or deleted. */
  getConversation(ownerId: string, id: string): Promise<Conversation | undefined>
  /** The owner's conversations, most recently updated first. */
  listConversations(ownerId: string, page?: PageRequest): Promise<Page<Conversation>>
  /**
   * The owner's conversations whose title or message text contains `query` (a literal,
   * case-insensitive substring; no wildcards; superseded messages are not searched), most
   * recently updated first, at most `limit`
   * (default 20, at most 50). Each comes with the text of its first matching message, if
   * the match was in a message. A blank query finds nothing.
   */
  searchConversations(
    ownerId: string,
    query: string,
    options?: { limit?: number },
  ): Promise<ConversationMatch[]>
  /** Sets the title; `undefined` when the conversation is absent, foreign or deleted. */
  renameConversation(ownerId: string, id: string, title: string): Promise<Conversation | undefined>
  /** Soft-deletes: the conversation disappears from every read. Returns whether it was visible. */
  deleteConversation(ownerId: string, id: string): Promise<boolean>

  /**
   * Appends messages in order and marks the conversation updated. `undefined` when the
   * conversation is absent, foreign or deleted (nothing is written then).
   */
  appendMessages(
    ownerId: string,
    conversationId: string,
    messages: readonly NewMessage[],
  ): Promise<Message[] | undefined>
  /**
   * Marks the message `messageId` and every message appended after it in the conversation
   * as superseded (an edit replaces the last question and what answered it). Superseded
   * messages leave `listMessages` and `searchConversations` but still count in `usageByDay`.
   * Resolves to how many messages it marked: 0 when `messageId` is not a current message of
   * the conversation (absent, or already superseded, so of two racing edits one marks 0);
   * `undefined` when the conversation is absent, foreign or deleted.
   */
  supersedeMessages(
    ownerId: string,
    conversationId: string,
    messageId: string,
  ): Promise<number | undefined>
  /**
   * A page of the current (not superseded) messages in the order they were appended
   * (`newest-first` walks backwards, for "the last N messages"). `undefined` when the conversation is absent, foreign or deleted.
   */
  listMessages(
    ownerId: string,
    conversationId: string,
    page?: PageRequest & { order?: 'oldest-first' | 'newest-first' },
  ): Promise<Page<Message> | undefined>

  /** Records a run in the owner's conversation; `undefined` when it is not visible. */
  createRun(ownerId: string, input: NewRun): Promise<Run | undefined>
  /** Changes a run; `undefined` when the run is absent, foreign or its conversation deleted. */
  updateRun(ownerId: string, id: string, patch: RunPatch): Promise<Run | undefined>
  /** The run, or `undefined` when absent, foreign or its conversation deleted. */
  getRun(ownerId: string, id: string): Promise<Run | undefined>

  /**
   * The owner's token use and cost per UTC day and model: every message with usage (the
   * assistant's answers) created in `range`, ordered by day then model. Usage is an account
   * of spending, so answers in conversations deleted since, and answers an edit superseded,
   * still count.
   */
  usageByDay(ownerId: string, range: UsageRange): Promise<DailyUsage[]>
}
