import type { RecalledMemoryRef } from '../core/agent/agent-event.ts'
import { chatUrls } from '../urls.ts'

/**
 * What memory recalled for an answer, each with a link to the conversation it came from and
 * to the memory page where it can be deleted. A `<details>`: readable without JavaScript,
 * out of the way until opened. Kept on its own so the layout can be restyled around it.
 */
export function RecalledMemories(props: { memories: readonly RecalledMemoryRef[]; id?: string }) {
  if (props.memories.length === 0) return null
  return (
    <details class="recalled-memories" id={props.id} data-recalled={props.memories.length}>
      <summary>
        Recalled {props.memories.length} {props.memories.length === 1 ? 'memory' : 'memories'}
      </summary>
      <ul>
        {props.memories.map((memory) => (
          <li data-memory-id={memory.id}>
            <span class="memory-text">{memory.text}</span>{' '}
            {memory.conversationId ? (
              <a
                class="memory-source"
                href={memorySourceUrl(memory.conversationId, memory.messageId)}
              >
                where you said it
              </a>
            ) : null}
          </li>
        ))}
      </ul>
      <p class="memory-manage">
        <a href={chatUrls.memory}>See and delete what Outpost remembers</a>
      </p>
    </details>
  )
}

/** The recalled memories stored with an answer (a `recall` content part), when there are any. */
export function recalledIn(content: readonly { type: string; [field: string]: unknown }[]) {
  const part = content.find((p) => p.type === 'recall')
  return Array.isArray(part?.memories) ? (part.memories as RecalledMemoryRef[]) : []
}

/** Where a memory came from: the message that said it, else its conversation. */
export function memorySourceUrl(conversationId: string, messageId: string | undefined): string {
  return messageId
    ? chatUrls.message(conversationId, messageId)
    : chatUrls.conversation(conversationId)
}
