import type { Child } from 'hono/jsx'
import { guardMarkOf } from '../core/chat/guard-mark.ts'
import type { Conversation, Message } from '../core/domain/history-records.ts'
import { chatUrls } from '../urls.ts'
import { Composer, type ModelOptions } from './composer.tsx'
import { CsrfInput } from './csrf-input.tsx'
import { LocalTime } from './local-time.tsx'
import { MessageImages } from './message-images.tsx'
import { StoredAssistantMessage, textOf, UserMessage } from './message-view.tsx'
import { RegenerateSlot } from './regenerate-form.tsx'

/** The conversation's title with its rename and delete forms; htmx swaps it in place. */
export function ConversationHeader(props: { conversation: Conversation; csrfToken: string }) {
  const id = props.conversation.id
  return (
    <header class="conversation-header" id="conversation-header">
      <h1 id="conversation-title">{props.conversation.title || 'Untitled'}</h1>
      <p class="conversation-more">
        <span>
          Started <LocalTime at={props.conversation.createdAt} />
        </span>
        <a href={chatUrls.export(id, 'md')} download>
          Export as Markdown
        </a>
        <a href={chatUrls.export(id, 'json')} download>
          Export as JSON
        </a>
      </p>
      <details class="conversation-tools">
        <summary>Rename or delete</summary>
        <form
          method="post"
          action={chatUrls.rename(id)}
          hx-post={chatUrls.rename(id)}
          hx-target="#conversation-header"
          hx-swap="outerHTML"
        >
          <CsrfInput token={props.csrfToken} />
          <label for="rename-title">New title</label>
          <input
            id="rename-title"
            name="title"
            required
            maxlength={200}
            value={props.conversation.title}
          />
          <button type="submit">Rename</button>
        </form>
        <form method="post" action={chatUrls.delete(id)} hx-post={chatUrls.delete(id)}>
          <CsrfInput token={props.csrfToken} />
          <button type="submit" class="button-danger">
            Delete this conversation
          </button>
        </form>
      </details>
    </header>
  )
}

/** Stored messages in order. */
export function MessageList(props: { messages: readonly Message[]; conversationId?: string }) {
  return (
    <>
      {props.messages.map((message) =>
        message.role === 'user' ? (
          <UserMessage
            text={textOf(message)}
            guard={guardMarkOf(message)}
            id={`m-${message.id}`}
            images={
              props.conversationId ? (
                <MessageImages conversationId={props.conversationId} message={message} />
              ) : null
            }
          />
        ) : message.role === 'assistant' ? (
          <StoredAssistantMessage message={message} />
        ) : null,
      )}
    </>
  )
}

/**
 * A conversation: header, messages (then `live`, a live answer, when there is one), the
 * regenerate form and the composer. The page and htmx's new-chat response both use it.
 */
export function ConversationView(props: {
  conversation: Conversation
  messages: readonly Message[]
  csrfToken: string
  live?: Child
  after?: Child
  /** After an htmx send: the caret goes back to the composer. */
  focusComposer?: boolean
  /**
   * Whether an answer is being written (hides Regenerate). Defaults to whether `live` is
   * given; the no-JavaScript run page says false, as its tail arrives after the answer ends.
   */
  streaming?: boolean
  models?: ModelOptions
  /** The picker's choice to keep (after a send). */
  model?: string
}) {
  const id = props.conversation.id
  const canRegenerate = props.messages.some((message) => message.role === 'user')
  return (
    <>
      <ConversationHeader conversation={props.conversation} csrfToken={props.csrfToken} />
      <section class="messages" id="messages" aria-label="Messages">
        <MessageList messages={props.messages} conversationId={props.conversation.id} />
        {props.live}
      </section>
      {props.after}
      <RegenerateSlot
        conversationId={id}
        csrfToken={props.csrfToken}
        show={canRegenerate && !(props.streaming ?? Boolean(props.live))}
      />
      <Composer
        csrfToken={props.csrfToken}
        conversationId={props.conversation.id}
        target="#messages"
        focus={props.focusComposer}
        models={props.models}
        model={props.model}
      />
    </>
  )
}
