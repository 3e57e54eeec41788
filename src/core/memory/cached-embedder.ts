import type { Embedder } from './embedder.ts'
import type { KvStore } from './kv-store.ts'

/** Options of `createCachedEmbedder`. */
export interface CachedEmbedderOptions {
  embedder: Embedder
  kv: KvStore
  /** How long a vector is kept. Default 30 days: a text's embedding never changes. */
  ttlMs?: number
  prefix?: string
}

/**
 * An embedder that never embeds the same text twice: vectors are kept in the KV store under
 * the embedder's id and the SHA-256 of the text, and only the texts not found are sent, in
 * one call. A store failure falls back to embedding: the cache saves money, never answers.
 */
export function createCachedEmbedder(options: CachedEmbedderOptions): Embedder {
  const { embedder, kv } = options
  const ttlMs = options.ttlMs ?? 30 * 86_400_000
  const prefix = options.prefix ?? 'embedding:'
  const keyOf = async (text: string) => {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
    return `${prefix}${embedder.id}:${embedder.dimension}:${hex}`
  }

  return {
    id: embedder.id,
    dimension: embedder.dimension,
    async embed(texts, signal) {
      const keys = await Promise.all(texts.map(keyOf))
      const found = await Promise.all(
        keys.map((key) => kv.get<number[]>(key).catch(() => undefined)),
      )
      const missing = [...new Set(texts.filter((_, i) => found[i] === undefined))]
      if (missing.length > 0) {
        const vectors = await embedder.embed(missing, signal)
        const byText = new Map(missing.map((text, i) => [text, vectors[i] as number[]]))
        const writes: Promise<boolean>[] = []
        texts.forEach((text, i) => {
          if (found[i] !== undefined) return
          found[i] = byText.get(text)
          writes.push(kv.set(keys[i] as string, found[i], { ttlMs }).catch(() => false))
        })
        await Promise.all(writes)
      }
      return found as number[][]
    },
  }
}
