import type { Conversation } from '../core/domain/history-records.ts'
import { chatUrls } from '../urls.ts'
import { LocalTime } from './local-time.tsx'

/** The visitor's conversations, newest first, with a link to the next page. */
export function ConversationList(props: {
  conversations: readonly Conversation[]
  nextCursor?: string
}) {
  return (
    <section class="conversations" aria-labelledby="conversations-title">
      <h2 id="conversations-title">Your conversations</h2>
      {props.conversations.length === 0 ? (
        <p class="empty">No conversations yet.</p>
      ) : (
        <ul class="conversation-list">
          {props.conversations.map((conversation) => (
            <li>
              <a href={chatUrls.conversation(conversation.id)}>
                {conversation.title || 'Untitled'}
              </a>{' '}
              <LocalTime at={conversation.updatedAt} />
            </li>
          ))}
        </ul>
      )}
      {props.nextCursor ? (
        <p>
          <a rel="next" href={chatUrls.homePage(props.nextCursor)}>
            Older conversations
          </a>
        </p>
      ) : null}
    </section>
  )
}
