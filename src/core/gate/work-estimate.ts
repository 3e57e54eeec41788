import { inputSize, inputTokens } from '../models/input-size.ts'
import type { ModelCatalog, ModelPrice } from '../models/model-catalog.ts'
import type { ModelWork } from './model-work.ts'

/** What a piece of model work is expected to take, reserved before it runs. */
export interface WorkEstimate {
  /** Input estimate plus the output allowance. */
  tokens: number
  /** Spend at the dearest price the work may run at, in micro-dollars. */
  usdMicros: number
}

/** Input a regeneration sends is the conversation so far, which the gate does not read. */
const regenerateInputTokens = 2000
/** Characters looked at for the estimate: beyond that, a request is counted as this long. */
const maxScannedChars = 1_000_000

/**
 * Estimates a request before it runs: about four characters per input token, plus the
 * output allowance (`max_tokens`, or `defaultOutputTokens` when the caller set none). The
 * price is the requested model's, or the dearest in the catalog when the router chooses, so
 * a reservation never undercounts what the run may cost.
 */
export function estimateWork(
  work: ModelWork,
  catalog: Pick<ModelCatalog, 'get' | 'entries'>,
  defaultOutputTokens: number,
): WorkEstimate {
  let input: number
  let output = defaultOutputTokens
  switch (work.kind) {
    case 'message':
      input = inputTokens(
        { chars: work.content.length, images: work.images?.length ?? 0 },
        maxScannedChars,
      )
      break
    case 'edit':
      // The edited message's images (if any) are not known before the run; its text is.
      input = inputTokens({ chars: work.content.length, images: 0 }, maxScannedChars)
      break
    case 'regenerate':
      input = regenerateInputTokens
      break
    case 'completion': {
      input = inputTokens(inputSize(work.request.messages, work.request.tools), maxScannedChars)
      output = work.request.maxTokens ?? defaultOutputTokens
      break
    }
    default:
      return work satisfies never
  }
  const price = priceOf(work.model, catalog)
  // USD per million tokens times tokens is micro-dollars.
  return {
    tokens: input + output,
    usdMicros: Math.ceil(input * price.inputPerMTok + output * price.outputPerMTok),
  }
}

function priceOf(
  model: string | undefined,
  catalog: Pick<ModelCatalog, 'get' | 'entries'>,
): ModelPrice {
  const named = model?.includes(':') ? catalog.get(model) : undefined
  if (named) return named.price
  let dearest: ModelPrice = { inputPerMTok: 0, outputPerMTok: 0 }
  for (const entry of catalog.entries()) {
    dearest = {
      inputPerMTok: Math.max(dearest.inputPerMTok, entry.price.inputPerMTok),
      outputPerMTok: Math.max(dearest.outputPerMTok, entry.price.outputPerMTok),
    }
  }
  return dearest
}
