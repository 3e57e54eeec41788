import { connect } from 'node:net'

/**
 * Whether the machine's real Redis / PostgreSQL answer. Suites that need one call
 * `serviceAvailable` in a top-level `await` and pass the result to `describe.skipIf`: absent
 * services skip the suite with a printed reason, unless `REQUIRE_SERVICES=1` (set by
 * `.ci/run`), where absence fails the run instead.
 */
export const redisAddress = {
  host: process.env.REDIS_HOST ?? '127.0.0.1',
  port: Number(process.env.REDIS_PORT ?? 6379),
}
export const postgresAddress = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  database: process.env.PGDATABASE ?? 'test',
}

const required = process.env.REQUIRE_SERVICES === '1'

function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/**
 * Resolves to true when the service answers. When it does not: throws under
 * `REQUIRE_SERVICES=1`, otherwise prints why the suite is skipped and resolves to false.
 */
export async function serviceAvailable(name: 'redis' | 'postgres'): Promise<boolean> {
  const address = name === 'redis' ? redisAddress : postgresAddress
  if (await canConnect(address.host, address.port)) return true
  const reason = `${name} is not answering on ${address.host}:${address.port}`
  if (required) throw new Error(`${reason}, and REQUIRE_SERVICES=1 requires it`)
  console.warn(`[skip] ${reason}; set REQUIRE_SERVICES=1 to make this a failure`)
  return false
}
