import { requestText } from '../compat/flagged-request.ts'
import type { InjectionGuard } from '../guards/injection/injection-guard.ts'
import type { GuardedInput } from '../guards/injection/inspect-inputs.ts'
import { inspectInputs } from '../guards/injection/inspect-inputs.ts'
import type { ChatRequest } from '../models/chat-model.ts'
import type { GateStage, StageVerdict } from './gate-stage.ts'
import type { ModelWork } from './model-work.ts'

/**
 * The gate's `inspect` stage: the prompt-injection guard over what the request brings. Under
 * `block` a suspicious input refuses the request (400 `injection_blocked`, naming the guard
 * and its reasons) before anything is stored or any model called; under `flag` the request
 * goes on with the input flagged, so the run wraps it as untrusted data and reports it.
 * A regeneration brings nothing new: its question was inspected when it was sent, and its
 * mark is stored with it.
 */
export function createInspectStage(guard: InjectionGuard): GateStage {
  return {
    name: 'inspect',
    check(_context, work): StageVerdict {
      const inputs = inputsOf(work)
      if (inputs.length === 0) return { kind: 'continue' }
      const decision = inspectInputs(guard, inputs)
      if (decision.kind === 'refuse') return { kind: 'refuse', error: decision.error }
      return decision.flagged.length > 0
        ? { kind: 'continue', flagged: decision.flagged }
        : { kind: 'continue' }
    },
  }
}

/** The texts a piece of work hands to a model, each with the path it came by. */
function inputsOf(work: ModelWork): GuardedInput[] {
  switch (work.kind) {
    case 'message':
    case 'edit':
      return [{ path: 'user-input', text: work.content }]
    case 'regenerate':
      return []
    case 'completion':
      return completionInputs(work.request)
    default:
      return work satisfies never
  }
}

/**
 * A compatible endpoint's transcript: the user turns, and tool results the client sends back
 * (web pages, files: the indirect path). The system prompt and earlier assistant turns are
 * the caller's own and are not inspected.
 */
function completionInputs(request: ChatRequest): GuardedInput[] {
  const inputs: GuardedInput[] = []
  for (const message of request.messages) {
    const text = requestText(message)
    if (!text) continue
    if (message.role === 'user') inputs.push({ path: 'user-input', text })
    else if (message.role === 'tool') inputs.push({ path: 'tool-result', text })
  }
  return inputs
}
