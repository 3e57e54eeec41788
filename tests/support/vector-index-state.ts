import { type FilterNode, matchesFilter } from './vector-filter.ts'

/** One stored vector of the emulated index. */
export interface StoredVector {
  id: string
  vector: number[]
  metadata?: Record<string, unknown>
  data?: string
}

/** What the endpoints read from a request's include flags. */
export interface IncludeFlags {
  includeVectors?: boolean
  includeMetadata?: boolean
  includeData?: boolean
}

/** The SDK's result shape: `id` always, the rest only when asked for and present. */
export function present(record: StoredVector, flags: IncludeFlags, score?: number): object {
  return {
    id: record.id,
    ...(score === undefined ? {} : { score }),
    ...(flags.includeVectors ? { vector: record.vector } : {}),
    ...(flags.includeMetadata && record.metadata !== undefined
      ? { metadata: record.metadata }
      : {}),
    ...(flags.includeData && record.data !== undefined ? { data: record.data } : {}),
  }
}

/** Upstash's normalised COSINE score: (1 + cos) / 2, so 1 is identical and 0.5 orthogonal. */
export function cosineScore(a: readonly number[], b: readonly number[]): number {
  let dot = 0
  let normA = 0
  let normB = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number
    const y = b[i] as number
    dot += x * y
    normA += x * x
    normB += y * y
  }
  const denominator = Math.sqrt(normA) * Math.sqrt(normB)
  const cosine = denominator === 0 ? 0 : dot / denominator
  return (1 + Math.max(-1, Math.min(1, cosine))) / 2
}

/** RFC 7396 JSON merge patch: objects merge recursively, `null` deletes, the rest replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch
  const result: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key]
    else result[key] = mergePatch(result[key], value)
  }
  return result
}

/** The namespaces of an emulated index; the default namespace `""` always exists. */
export class VectorIndexState {
  readonly namespaces = new Map<string, Map<string, StoredVector>>([['', new Map()]])

  namespace(name: string, create = false): Map<string, StoredVector> | undefined {
    let ns = this.namespaces.get(name)
    if (!ns && create) {
      ns = new Map()
      this.namespaces.set(name, ns)
    }
    return ns
  }

  query(
    name: string,
    vector: readonly number[],
    topK: number,
    filter: FilterNode | undefined,
  ): { record: StoredVector; score: number }[] {
    const records = [...(this.namespace(name)?.values() ?? [])]
    return records
      .filter((record) => filter === undefined || matchesFilter(filter, record.metadata ?? {}))
      .map((record) => ({ record, score: cosineScore(vector, record.vector) }))
      .sort((a, b) => b.score - a.score || (a.record.id < b.record.id ? -1 : 1))
      .slice(0, topK)
  }

  /** Ids in a stable order, as `range` pages through them. */
  sortedIds(name: string, prefix = ''): string[] {
    return [...(this.namespace(name)?.keys() ?? [])].filter((id) => id.startsWith(prefix)).sort()
  }

  count(name?: string): number {
    if (name !== undefined) return this.namespace(name)?.size ?? 0
    let total = 0
    for (const ns of this.namespaces.values()) total += ns.size
    return total
  }

  /** Records aligned with `ids`, `null` where missing. */
  fetch(name: string, ids: readonly string[], flags: IncludeFlags): (object | null)[] {
    const ns = this.namespace(name)
    return ids.map((id) => {
      const record = ns?.get(id)
      return record ? present(record, flags) : null
    })
  }

  /** One page of ids in order; the cursor is the next offset as a string, `""` at the end. */
  range(name: string, start: number, limit: number, prefix: string, flags: IncludeFlags): object {
    const ids = this.sortedIds(name, prefix)
    return {
      nextCursor: start + limit < ids.length ? String(start + limit) : '',
      vectors: this.fetch(name, ids.slice(start, start + limit), flags),
    }
  }

  /** The `info` answer of a dense COSINE index without an embedding model. */
  info(dimension: number, embeddingModel?: string): object {
    const namespaces: Record<string, object> = {}
    for (const name of this.namespaces.keys()) {
      namespaces[name] = { vectorCount: this.count(name), pendingVectorCount: 0 }
    }
    return {
      vectorCount: this.count(),
      pendingVectorCount: 0,
      indexSize: this.count() * dimension * 4,
      dimension,
      similarityFunction: 'COSINE',
      indexType: 'DENSE',
      denseIndex: {
        dimension,
        similarityFunction: 'COSINE',
        ...(embeddingModel ? { embeddingModel } : {}),
      },
      namespaces,
    }
  }
}
