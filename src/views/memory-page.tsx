import type { MemoryEntry } from '../core/facts/manage-memories.ts'
import { chatUrls } from '../urls.ts'
import { CsrfInput } from './csrf-input.tsx'
import { Layout, type PageNotices } from './layout.tsx'
import { memorySourceUrl } from './recalled-memories.tsx'

/**
 * What Outpost remembers about the visitor, with where each memory came from, a search and a
 * delete button for each and for all. Plain forms: it all works without JavaScript.
 */
export function MemoryPage(props: {
  memories: readonly MemoryEntry[]
  query?: string
  /** `MEMORY_TTL_DAYS`: how long memories are kept; unset keeps them until deleted. */
  keptDays?: number
  csrfToken: string
  notices?: PageNotices
  /** What the last action did ("Deleted 3 memories"). */
  done?: string
}) {
  const { memories, query, csrfToken } = props
  return (
    <Layout title="Memory" notices={props.notices}>
      <section class="panel memory" aria-labelledby="memory-title">
        <h1 id="memory-title">Memory</h1>
        <p>
          What Outpost remembers about you: facts taken from your own messages, recalled in later
          conversations. Deleting a conversation deletes what was taken from it.
          {props.keptDays === undefined
            ? null
            : ` Each memory is kept for ${props.keptDays === 1 ? '1 day' : `${props.keptDays} days`} from when it was last stored or updated, then forgotten.`}
        </p>
        {props.done ? (
          <p class="notice" role="status">
            {props.done}
          </p>
        ) : null}
        <form method="get" action={chatUrls.memory} class="memory-search">
          <label for="memory-q">Search</label>{' '}
          <input id="memory-q" name="q" type="search" value={query ?? ''} maxlength={200} />{' '}
          <button type="submit">Search</button>
        </form>
        {memories.length === 0 ? (
          <p class="memory-empty">
            {query ? 'No memory matches that search.' : 'Outpost remembers nothing about you yet.'}
          </p>
        ) : (
          <ul class="memory-list" data-memories={memories.length}>
            {memories.map((memory) => (
              <li data-memory-id={memory.id}>
                <span class="memory-text">{memory.text}</span>
                <span class="memory-source">
                  {' '}
                  ·{' '}
                  <time datetime={new Date(memory.createdAt).toISOString()}>
                    {new Date(memory.createdAt).toISOString().slice(0, 10)}
                  </time>
                  {memory.conversationId ? (
                    <>
                      {' '}
                      ·{' '}
                      <a href={memorySourceUrl(memory.conversationId, memory.messageId)}>
                        where you said it
                      </a>
                    </>
                  ) : null}
                </span>{' '}
                <form method="post" action={chatUrls.forgetMemory(memory.id)} class="inline-form">
                  <CsrfInput token={csrfToken} />
                  <button type="submit" class="button-secondary">
                    Delete
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        {memories.length > 0 && !query ? (
          <form method="post" action={chatUrls.forgetAllMemories} class="memory-forget-all">
            <CsrfInput token={csrfToken} />
            <button type="submit" class="button-danger">
              Delete everything Outpost remembers
            </button>
          </form>
        ) : null}
      </section>
    </Layout>
  )
}
