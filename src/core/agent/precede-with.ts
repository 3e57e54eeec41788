import type { AgentEvent } from './agent-event.ts'

/** `events`, led by `first` (such as the guard's verdict on the question); `events` itself when none. */
export function precedeWith(
  first: readonly AgentEvent[],
  events: AsyncIterable<AgentEvent>,
): AsyncIterable<AgentEvent> {
  if (first.length === 0) return events
  return (async function* () {
    yield* first
    yield* events
  })()
}
