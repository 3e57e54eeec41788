import type { ModelEvent } from './chat-model.ts'

/**
 * Gathers the model events decoded from one read of a provider's stream, joining consecutive
 * deltas of one kind (text with text, reasoning with reasoning) into one event. Nothing waits
 * for more: only what already arrived together is joined, so at one token per read the events
 * are the provider's own, and when frames pile up (a fast model, a busy gateway) every layer
 * above — the run log, the chunk encoder, the client's socket — handles one event per read
 * instead of one per frame. A reasoning delta that carries a signature is kept apart.
 */
export class JoinedDeltas {
  #events: ModelEvent[] = []
  // The last event, when it is a delta this batch made and may still grow.
  #open: { type: 'text-delta' | 'thinking-delta'; text: string } | undefined

  add(event: ModelEvent): void {
    const open = this.#open
    if (
      open !== undefined &&
      open.type === event.type &&
      (event.type === 'text-delta' || (event.type === 'thinking-delta' && !event.signature))
    ) {
      open.text += event.text
      return
    }
    if (event.type === 'text-delta' || (event.type === 'thinking-delta' && !event.signature)) {
      // A copy: the caller's event is never changed.
      const copy = { type: event.type, text: event.text }
      this.#open = copy
      this.#events.push(copy)
    } else {
      this.#open = undefined
      this.#events.push(event)
    }
  }

  /** The events gathered so far, in order; the next `add` starts a new batch. */
  take(): ModelEvent[] {
    const events = this.#events
    this.#events = []
    this.#open = undefined
    return events
  }
}
