import { StoreError } from '../errors.ts'
import type { VectorFilter } from './vector-store.ts'

/**
 * Argument checks every `VectorStore` makes the same way, before touching its backend, so a
 * wrong-sized vector is `vector_dimension_mismatch` whichever store is configured. Neither
 * error is retryable.
 */
export function dimensionMismatch(
  expected: number,
  got: number | undefined,
  cause?: unknown,
): StoreError {
  const size = got === undefined ? 'another number of' : String(got)
  return new StoreError('vector', `Vector has ${size} dimensions, the store holds ${expected}`, {
    retryable: false,
    code: 'vector_dimension_mismatch',
    cause,
  })
}

/** A vector of the store's dimension with finite components, or a `StoreError`. */
export function checkVector(vector: readonly number[], dimension: number): readonly number[] {
  if (vector.length !== dimension) throw dimensionMismatch(dimension, vector.length)
  if (!vector.every(Number.isFinite)) {
    throw new StoreError('vector', 'Vector components must be finite numbers', {
      retryable: false,
      code: 'vector_invalid_argument',
    })
  }
  return vector
}

/**
 * The filter every query and filtered delete needs: without an owner a query could cross
 * users, so a missing one is an error rather than "match everything".
 */
export function checkFilter(filter: VectorFilter | undefined): VectorFilter {
  if (filter === undefined || typeof filter.owner !== 'string') {
    throw new StoreError('vector', 'A vector query or delete needs a filter with an owner', {
      retryable: false,
      code: 'vector_invalid_argument',
    })
  }
  return filter
}
