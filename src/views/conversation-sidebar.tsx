import type { Conversation } from '../core/domain/history-records.ts'
import { chatUrls } from '../urls.ts'

/**
 * The conversations beside the chat: new chat, search (a GET form) and the recent ones as
 * links. A drawer on narrow screens and collapsible on wide ones, both through the
 * `#sidebar-toggle` checkbox the layout puts before it, so it works without JavaScript.
 */
export function ConversationSidebar(props: {
  conversations: readonly Conversation[]
  currentId?: string
  query?: string
  /** Swapped in out of band (htmx started a new chat: the list gains it). */
  oob?: boolean
}) {
  return (
    <nav
      id="sidebar"
      class="sidebar"
      aria-label="Conversations"
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      <div class="sidebar-top">
        <a class="sidebar-new" href={`${chatUrls.home}#composer`}>
          New chat
        </a>
        <label for="sidebar-toggle" class="sidebar-close">
          Close
        </label>
      </div>
      <search>
        <form class="search-form" method="get" action={chatUrls.search}>
          <label for="search-q" class="search-label">
            Search conversations
          </label>
          <span class="search-row">
            <input
              id="search-q"
              type="search"
              name="q"
              value={props.query ?? ''}
              maxlength={200}
              required
            />
            <button type="submit" class="button-secondary">
              Search
            </button>
          </span>
        </form>
      </search>
      <h2 class="sidebar-heading">Recent</h2>
      {props.conversations.length === 0 ? (
        <p class="empty">No conversations yet.</p>
      ) : (
        <ul class="sidebar-list">
          {props.conversations.map((conversation) => (
            <li>
              <a
                href={chatUrls.conversation(conversation.id)}
                aria-current={conversation.id === props.currentId ? 'page' : undefined}
              >
                {conversation.title || 'Untitled'}
              </a>
            </li>
          ))}
        </ul>
      )}
      <a class="sidebar-all" href={chatUrls.home}>
        All conversations
      </a>
    </nav>
  )
}
