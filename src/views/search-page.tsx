import type { Child } from 'hono/jsx'
import type { ConversationMatch } from '../core/memory/history-store.ts'
import { chatUrls } from '../urls.ts'
import { Layout, type PageNotices } from './layout.tsx'
import { LocalTime } from './local-time.tsx'

/** How much of a matching message the results show around the match. */
const snippetChars = 160

/** Conversation search results: a GET form's page, so it works the same without JavaScript. */
export function SearchPage(props: {
  query: string
  matches: readonly ConversationMatch[]
  sidebar: Child
  notices?: PageNotices
}) {
  const query = props.query.trim()
  return (
    <Layout
      title={query ? `Search: ${query}` : 'Search'}
      notices={props.notices}
      sidebar={props.sidebar}
    >
      <h1 id="search-title">{query ? `Conversations matching “${query}”` : 'Search'}</h1>
      {!query ? (
        <p>Type a word from a title or a message in the search box.</p>
      ) : props.matches.length === 0 ? (
        <p class="empty" role="status">
          Nothing matches.
        </p>
      ) : (
        <ul class="search-results" aria-labelledby="search-title">
          {props.matches.map((match) => (
            <li>
              <a href={chatUrls.conversation(match.conversation.id)}>
                {match.conversation.title || 'Untitled'}
              </a>{' '}
              <LocalTime at={match.conversation.updatedAt} />
              {match.messageText ? (
                <p class="search-snippet">{snippet(match.messageText, query)}</p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  )
}

/** The part of `text` around the first match, with an ellipsis where it was cut. */
export function snippet(text: string, query: string): string {
  const at = text.toLowerCase().indexOf(query.toLowerCase())
  const start = Math.max(0, at - snippetChars / 2)
  const end = Math.min(text.length, start + snippetChars)
  const cut = text.slice(start, end).replace(/\s+/g, ' ').trim()
  return `${start > 0 ? '…' : ''}${cut}${end < text.length ? '…' : ''}`
}
