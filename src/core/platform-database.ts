import type { Config } from './config.ts'
import { StoreError } from './errors.ts'
import type { PostgresDatabase } from './memory/postgres-history-store.ts'
import type { DeferredSqlDatabase, SqlDatabase } from './memory/sql-database.ts'

/**
 * The platform's database, deferred when it can be described without opening it: the stores
 * over it share one opening, made by the first call that needs it; a failed one is reported to
 * that call and the next call tries again.
 */
export async function databaseFor(
  config: Config,
  platform: {
    openDatabase?: (config: Config) => Promise<SqlDatabase | undefined>
    describeDatabase?: (config: Config) => Pick<SqlDatabase, 'backend' | 'hasVector'> | undefined
  },
): Promise<SqlDatabase | DeferredSqlDatabase | undefined> {
  const { openDatabase } = platform
  if (!openDatabase) return undefined
  const described = platform.describeDatabase?.(config)
  if (!described) return openDatabase(config)
  let opening: Promise<PostgresDatabase> | undefined
  return {
    ...described,
    open() {
      if (!opening) {
        const attempt = openDatabase(config).then((opened) => {
          if (!opened) {
            throw new StoreError('history', 'the described database was not opened', {
              retryable: true,
            })
          }
          return opened.db
        })
        attempt.catch(() => {
          if (opening === attempt) opening = undefined
        })
        opening = attempt
      }
      return opening
    },
  }
}
