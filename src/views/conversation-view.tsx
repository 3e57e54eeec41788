import type { Child } from 'hono/jsx'
import { guardMarkOf } from '../core/chat/guard-mark.ts'
import type { Conversation, Message } from '../core/domain/history-records.ts'
import { chatUrls } from '../urls.ts'
import { Composer, type ModelOptions } from './composer.tsx'
import { CsrfInput } from './csrf-input.tsx'
import { EditLink, EditMessageForm } from './edit-message-form.tsx'
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

/** What the last user message offers: an Edit link, or (the edit page) the edit form itself. */
export type LastMessageEdit = { mode: 'link' } | { mode: 'form'; csrfToken: string }

/** Stored messages in order; `edit` applies to the last user message. */
export function MessageList(props: {
  messages: readonly Message[]
  conversationId?: string
  edit?: LastMessageEdit
}) {
  const { conversationId, edit } = props
  const last = lastUserMessage(props.messages)
  return (
    <>
      {props.messages.map((message) =>
        message.role === 'user' && conversationId && edit?.mode === 'form' && message === last ? (
          <EditMessageForm
            conversationId={conversationId}
            message={message}
            csrfToken={edit.csrfToken}
          />
        ) : message.role === 'user' ? (
          <UserMessage
            text={textOf(message)}
            guard={guardMarkOf(message)}
            id={`m-${message.id}`}
            images={
              conversationId ? (
                <MessageImages conversationId={conversationId} message={message} />
              ) : null
            }
            actions={
              conversationId && edit?.mode === 'link' && message === last ? (
                <EditLink conversationId={conversationId} />
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

/** The message an edit would replace: the last user message with text. */
export function lastUserMessage(messages: readonly Message[]): Message | undefined {
  return messages.findLast((message) => message.role === 'user' && textOf(message))
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
  /** The edit page: the last user message shows as its edit form. */
  editing?: boolean
}) {
  const id = props.conversation.id
  const canRegenerate = props.messages.some((message) => message.role === 'user')
  const streaming = props.streaming ?? Boolean(props.live)
  // While an answer streams the stylesheet hides Edit (the server refuses it too), and shows
  // it once the answer is done. The run page (no JavaScript) streams its answer below the
  // messages and cannot take the link back, so it offers none.
  const edit: LastMessageEdit | undefined = props.editing
    ? { mode: 'form', csrfToken: props.csrfToken }
    : props.live && props.streaming === false
      ? undefined
      : { mode: 'link' }
  return (
    <>
      <ConversationHeader conversation={props.conversation} csrfToken={props.csrfToken} />
      <section class="messages" id="messages" aria-label="Messages">
        <MessageList messages={props.messages} conversationId={id} edit={edit} />
        {props.live}
      </section>
      {props.after}
      <RegenerateSlot
        conversationId={id}
        csrfToken={props.csrfToken}
        show={canRegenerate && !streaming && !props.editing}
      />
      {/* The edit page has one thing to send: the pinned composer would cover the form's buttons. */}
      {props.editing ? null : (
        <Composer
          csrfToken={props.csrfToken}
          conversationId={props.conversation.id}
          target="#messages"
          focus={props.focusComposer}
          models={props.models}
          model={props.model}
        />
      )}
    </>
  )
}
