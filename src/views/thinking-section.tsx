import type { Message } from '../core/domain/history-records.ts'

/**
 * The model's reasoning as a collapsible "Thinking" section: a `<details>`, so it opens and
 * closes without JavaScript. Open while the answer streams (the reader watches it think),
 * closed on a finished answer (the answer is what they came for). The text is a JSX child,
 * escaped by construction, and never markdown: it is the model's scratch work.
 */
export function ThinkingSection(props: { text: string; open?: boolean; bodyId?: string }) {
  return (
    <details class="thinking" open={props.open}>
      <summary>Thinking</summary>
      <div class="thinking-text" id={props.bodyId}>
        {props.text}
      </div>
    </details>
  )
}

/** The reasoning recorded with a stored answer (a `thinking` content part), or ''. */
export function storedThinking(message: Pick<Message, 'content'>): string {
  return message.content
    .map((part) => (part.type === 'thinking' && typeof part.text === 'string' ? part.text : ''))
    .join('')
}

/** The opening tags of a live section, for the page that streams without JavaScript. */
export const liveThinkingOpen =
  '<details class="thinking" open><summary>Thinking</summary><div class="thinking-text">'

/** What closes `liveThinkingOpen`. */
export const liveThinkingClose = '</div></details>'
