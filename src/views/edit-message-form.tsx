import type { Message } from '../core/domain/history-records.ts'
import { chatUrls } from '../urls.ts'
import { CsrfInput } from './csrf-input.tsx'
import { MessageImages } from './message-images.tsx'
import { textOf } from './message-view.tsx'

/**
 * "Edit" on the conversation's last user message. Without JavaScript a link to the page with
 * the edit form; with htmx the message turns into that form in place. The stylesheet hides it
 * on an earlier message and while an answer streams, which a send can bring about without a
 * page load; the server refuses both anyway.
 */
export function EditLink(props: { conversationId: string; focus?: boolean }) {
  const href = chatUrls.edit(props.conversationId)
  return (
    <p class="message-actions">
      <a
        class="message-edit"
        href={href}
        hx-get={href}
        hx-target="closest .message"
        hx-swap="outerHTML"
        autofocus={props.focus}
      >
        Edit<span class="visually-hidden"> your last message</span>
      </a>
    </p>
  )
}

/**
 * The last user message as a form to edit it (a plain POST without JavaScript), prefilled with
 * its text. Sending replaces the message and its answer; Cancel (or Escape) brings the message
 * back. The caret lands in the text (`autofocus`, which htmx honours after a swap too).
 */
export function EditMessageForm(props: {
  conversationId: string
  message: Message
  csrfToken: string
}) {
  const { conversationId, message } = props
  const action = chatUrls.edit(conversationId)
  return (
    <form
      class="message user edit-form"
      id={`m-${message.id}`}
      method="post"
      action={action}
      hx-post={action}
      hx-target="#messages"
      hx-swap="innerHTML"
      hx-disable="find button"
      aria-label="Edit your message"
    >
      <CsrfInput token={props.csrfToken} />
      <input type="hidden" name="message_id" value={message.id} />
      <label for="edit-input">Edit your message</label>
      <textarea
        id="edit-input"
        class="edit-text"
        name="content"
        rows={3}
        required
        maxlength={32000}
        autofocus
        aria-describedby="edit-hint"
      >
        {textOf(message)}
      </textarea>
      <MessageImages conversationId={conversationId} message={message} />
      <p class="edit-hint" id="edit-hint">
        Sending replaces this message and its answer.
      </p>
      <div class="edit-actions">
        <button type="submit">Send</button>
        <a
          class="edit-cancel button-secondary"
          href={chatUrls.message(conversationId, message.id)}
          hx-get={chatUrls.editCancel(conversationId)}
          hx-target="closest form"
          hx-swap="outerHTML"
        >
          Cancel
        </a>
      </div>
    </form>
  )
}
