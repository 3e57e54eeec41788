import type { Redis } from '@upstash/redis'
import { StoreError } from '../errors.ts'
import type { KvSetOptions, KvStore } from './kv-store.ts'
import {
  checkIncrementBy,
  checkListIndices,
  checkTtlMs,
  invalidKvArgument,
  wrongKvType,
} from './kv-store-errors.ts'
import { kvValueText } from './kv-value-text.ts'
import { upstashStoreError } from './upstash-store-error.ts'

/** Options of `createUpstashRedisKvStore`. */
export interface UpstashRedisKvStoreOptions {
  /**
   * A client built with `automaticDeserialization: false`: the store JSON-encodes values
   * itself, and the client's own parsing would turn the string "2" into the number 2.
   */
  redis: Redis
  /** Prepended verbatim to every key, e.g. `outpost:`. */
  prefix: string
}

function decode(text: unknown): unknown {
  if (typeof text !== 'string') throw malformed(`expected a string, got ${typeof text}`)
  try {
    return JSON.parse(text)
  } catch (error) {
    throw malformed('a stored value is not JSON', error)
  }
}

function malformed(message: string, cause?: unknown): StoreError {
  return new StoreError('kv', `Upstash Redis answered unexpectedly: ${message}`, {
    retryable: false,
    code: 'store_malformed_response',
    cause,
  })
}

function integer(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw malformed(`expected an integer, got ${JSON.stringify(value)}`)
  }
  return value
}

// Redis' own replies for a type mismatch and an overflow; the client gives us only their text.
const wrongTypeText = /WRONGTYPE|not an integer/
const overflowText = /would overflow/

/**
 * `KvStore` on Upstash Redis over its REST API. Calls needing several commands go in one
 * MULTI/EXEC request, so `increment` sets the TTL only when it creates the counter
 * (`SET key 0 NX PX ttl` then `INCRBY`, atomically) and `append` pushes and sets the expiry
 * together. Every client failure becomes a `StoreError` (see `upstashStoreError`).
 */
export function createUpstashRedisKvStore(options: UpstashRedisKvStoreOptions): KvStore {
  const { redis, prefix } = options
  const clientOptions = (redis as unknown as { opts?: { automaticDeserialization?: boolean } }).opts
  if (clientOptions?.automaticDeserialization !== false) {
    throw new StoreError(
      'kv',
      'The Redis client must be built with automaticDeserialization: false',
      {
        retryable: false,
        code: 'store_misconfigured',
      },
    )
  }
  const k = (key: string) => `${prefix}${key}`

  async function call<T>(operation: string, key: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (error) {
      if (error instanceof StoreError) throw error
      const redisText = error instanceof Error && error.name === 'UpstashError' ? error.message : ''
      if (wrongTypeText.test(redisText)) throw wrongKvType(key, error)
      if (overflowText.test(redisText)) throw invalidKvArgument('increment would overflow', error)
      throw upstashStoreError('kv', operation, error)
    }
  }

  return {
    get: <T>(key: string) =>
      call('get', key, async () => {
        const text = await redis.get<string>(k(key))
        return text === null ? undefined : (decode(text) as T)
      }),
    set: (key: string, value: unknown, setOptions: KvSetOptions = {}) =>
      call('set', key, async () => {
        const px = checkTtlMs(setOptions.ttlMs)
        const text = kvValueText(value)
        const nx = setOptions.ifAbsent === true
        const answer =
          px === undefined
            ? await (nx ? redis.set(k(key), text, { nx: true }) : redis.set(k(key), text))
            : await (nx
                ? redis.set(k(key), text, { px, nx: true })
                : redis.set(k(key), text, { px }))
        if (answer !== 'OK' && answer !== null) throw malformed(`SET answered ${String(answer)}`)
        return answer === 'OK'
      }),
    delete: (key) => call('delete', key, async () => integer(await redis.del(k(key))) > 0),
    increment: (key, by = 1, incrementOptions = {}) =>
      call('increment', key, async () => {
        checkIncrementBy(by)
        const px = checkTtlMs(incrementOptions.ttlMs)
        const total = integer(
          px === undefined
            ? await redis.incrby(k(key), by)
            : (await redis.multi().set(k(key), 0, { nx: true, px }).incrby(k(key), by).exec())[1],
        )
        // Redis counts to 2^63; past 2^53 JSON numbers lose digits, so report it as overflow.
        if (!Number.isSafeInteger(total)) throw invalidKvArgument('increment would overflow')
        return total
      }),
    append: (key, values, appendOptions = {}) =>
      call('append', key, async () => {
        const px = checkTtlMs(appendOptions.ttlMs)
        const items = values.map(kvValueText)
        if (items.length === 0) return integer(await redis.llen(k(key)))
        if (px === undefined) return integer(await redis.rpush(k(key), ...items))
        const [length] = await redis
          .multi()
          .rpush(k(key), ...items)
          .pexpire(k(key), px)
          .exec()
        return integer(length)
      }),
    range: <T>(key: string, start: number, stop: number) =>
      call('range', key, async () => {
        checkListIndices(start, stop)
        const items: unknown = await redis.lrange(k(key), start, stop)
        if (!Array.isArray(items)) throw malformed('LRANGE did not answer a list')
        return items.map(decode) as T[]
      }),
    trim: (key, start, stop) =>
      call('trim', key, async () => {
        checkListIndices(start, stop)
        await redis.ltrim(k(key), start, stop)
      }),
    length: (key) => call('length', key, async () => integer(await redis.llen(k(key)))),
    expire: (key, ttlMs) =>
      call('expire', key, async () => {
        const px = checkTtlMs(ttlMs)
        return integer(await redis.pexpire(k(key), px ?? 0)) === 1
      }),
  }
}
