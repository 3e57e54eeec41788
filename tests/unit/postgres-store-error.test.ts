import { DrizzleQueryError } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { NotFoundError, StoreError } from '../../src/core/errors.ts'
import { toPostgresStoreError } from '../../src/core/memory/postgres-store-error.ts'

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code })
const wrapped = (cause: unknown) => new DrizzleQueryError('select 1', [], cause as Error)

function classify(error: unknown) {
  const result = toPostgresStoreError('history', 'read', error)
  expect(result).toBeInstanceOf(StoreError)
  return { retryable: result.retryable, code: result.code }
}

describe('toPostgresStoreError', () => {
  it.each([
    ['refused connection', withCode('connect ECONNREFUSED', 'ECONNREFUSED')],
    ['reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    ['broken pipe (not a SQLSTATE)', withCode('write EPIPE', 'EPIPE')],
    ['connection exception 08006', withCode('connection failure', '08006')],
    ['admin shutdown 57P01', withCode('terminating connection', '57P01')],
    ['serialization failure', withCode('could not serialize', '40001')],
    ['pg connection ended', new Error('Connection terminated unexpectedly')],
    ['pg-pool timeout', new Error('timeout exceeded when trying to connect')],
    ['Neon 503', new Error('Server error (HTTP status 503): down')],
    [
      'fetch failure',
      Object.assign(new Error('fetch failed'), { cause: withCode('x', 'ECONNREFUSED') }),
    ],
    ['WebSocket ErrorEvent', { type: 'error', error: withCode('connect', 'ECONNREFUSED') }],
    ['refusal on every address', new AggregateError([withCode('a', 'ECONNREFUSED')])],
  ])('%s is retryable', (_, cause) => {
    expect(classify(wrapped(cause))).toEqual({ retryable: true, code: 'store_unavailable' })
  })

  it.each([
    ['unique violation', withCode('duplicate key', '23505'), 'store_constraint'],
    ['foreign key violation', withCode('violates foreign key', '23503'), 'store_constraint'],
    ['syntax error', withCode('syntax error', '42601'), 'store_failed'],
    ['garbage on the wire', new Error('received invalid response: 7e'), 'store_failed'],
    ['non-JSON answer', new SyntaxError('Unexpected token <'), 'store_failed'],
    ['Neon 404', new Error('Server error (HTTP status 404): no'), 'store_failed'],
  ])('%s is not retryable', (_, cause, code) => {
    expect(classify(wrapped(cause))).toEqual({ retryable: false, code })
  })

  it('does not read a diagnosis into the query text drizzle quotes', () => {
    const error = new DrizzleQueryError(
      'insert ... Connection terminated',
      ['timeout'],
      new Error('boom'),
    )
    expect(classify(error).retryable).toBe(false)
  })

  it('passes our own errors through', () => {
    const notFound = new NotFoundError()
    expect(toPostgresStoreError('history', 'read', notFound)).toBe(notFound)
  })
})
