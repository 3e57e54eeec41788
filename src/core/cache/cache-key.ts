import type { ChatRequest } from '../models/chat-model.ts'
import type { CatalogEntry } from '../models/model-catalog.ts'

/** Whose call it is and which models may answer it: what a key adds to the request. */
export interface CacheScope {
  /** The tenant: the principal's user id. Entries of one tenant are never served to another. */
  tenant: string
  namespace?: string
}

/**
 * The key of one model call: a SHA-256 of the canonical request sent to the model (candidate
 * models in order, messages, tools, tool choice and every sampling parameter), the tenant and
 * the namespace. `stream` is left out on purpose: a streamed and a whole answer are the same
 * answer, so either can replay the other.
 */
export async function modelCallKey(
  scope: CacheScope,
  candidates: readonly CatalogEntry[],
  request: ChatRequest,
): Promise<string> {
  const canonical = canonicalJson({
    v: 1,
    tenant: scope.tenant,
    namespace: scope.namespace ?? null,
    models: candidates.map((c) => c.id),
    messages: request.messages,
    tools: request.tools ?? null,
    toolChoice: request.toolChoice ?? null,
    temperature: request.temperature ?? null,
    maxTokens: request.maxTokens ?? null,
    stop: request.stop ?? null,
    // Only when set, so keys stored before thinking existed still match.
    ...(request.thinkingBudget === undefined ? {} : { thinkingBudget: request.thinkingBudget }),
  })
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** JSON with object keys sorted at every depth, so equal requests give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item
    const record = item as Record<string, unknown>
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .filter((key) => record[key] !== undefined)
        .map((key) => [key, record[key]]),
    )
  })
}
