import type OpenAI from 'openai'
import { APIConnectionError, APIError, APIUserAbortError } from 'openai'
import { DependencyError } from '../errors.ts'
import type { Embedder } from './embedder.ts'

/** Options of `createOpenAIEmbedder`. */
export interface OpenAIEmbedderOptions {
  /** A client for OpenAI or any OpenAI-compatible server (Ollama, vLLM, llama.cpp...). */
  client: OpenAI
  /** Embedding model, e.g. `text-embedding-3-small`. */
  model: string
  /** Length of the vectors the model returns; answers of another length are rejected. */
  dimension: number
  /**
   * Ask the server for `dimension` (the `dimensions` parameter). Only OpenAI's
   * text-embedding-3 models honour it; other servers may reject it, so it is off by default.
   */
  requestDimension?: boolean
  /** Most inputs per request. Default 128. */
  batchSize?: number
}

function failure(error: unknown): DependencyError {
  if (error instanceof DependencyError) return error
  // No status: the request never got an answer (refused, reset, timed out).
  const status = error instanceof APIError ? error.status : undefined
  const retryable =
    error instanceof APIConnectionError || status === 408 || status === 429 || (status ?? 0) >= 500
  const detail = error instanceof Error ? error.message : String(error)
  return new DependencyError(
    retryable ? 'embedder_unavailable' : 'embedder_failed',
    `Embedding request failed: ${detail}`,
    { retryable, cause: error },
  )
}

function unit(vector: readonly number[]): number[] {
  const norm = Math.hypot(...vector)
  return norm === 0 ? Array.from(vector) : vector.map((x) => x / norm)
}

/**
 * An `Embedder` on the OpenAI embeddings API through the `openai` SDK. Requests
 * `encoding_format: 'float'` (the SDK's default is base64, which not every compatible server
 * speaks), batches inputs, restores input order from each item's `index`, and re-normalises,
 * since compatible servers do not all return unit vectors. Failures are `DependencyError`s,
 * retryable for connection errors, 408, 429 and 5xx.
 */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Embedder {
  const { client, model, dimension } = options
  const batchSize = options.batchSize ?? 128

  async function embedBatch(input: string[], signal?: AbortSignal): Promise<number[][]> {
    let response: OpenAI.CreateEmbeddingResponse
    try {
      response = await client.embeddings.create(
        {
          model,
          input,
          encoding_format: 'float',
          ...(options.requestDimension ? { dimensions: dimension } : {}),
        },
        signal ? { signal } : undefined,
      )
    } catch (error) {
      if (error instanceof APIUserAbortError && signal?.aborted) throw signal.reason
      throw failure(error)
    }
    const vectors: number[][] = new Array(input.length)
    for (const item of response.data ?? []) {
      if (!Array.isArray(item.embedding) || item.embedding.length !== dimension) {
        throw new DependencyError(
          'embedder_dimension_mismatch',
          `Model ${model} returned a vector of length ${item.embedding?.length}, expected ${dimension}`,
          { retryable: false },
        )
      }
      vectors[item.index] = unit(item.embedding)
    }
    for (let i = 0; i < input.length; i++) {
      if (vectors[i] === undefined) throw failure(new Error(`No embedding for input ${i}`))
    }
    return vectors
  }

  return {
    id: `openai:${model}:${dimension}`,
    dimension,
    async embed(texts, signal) {
      const out: number[][] = []
      for (let start = 0; start < texts.length; start += batchSize) {
        out.push(...(await embedBatch(texts.slice(start, start + batchSize), signal)))
      }
      return out
    },
  }
}
