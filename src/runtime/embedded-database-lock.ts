import { existsSync } from 'node:fs'
import { mkdir, open, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import process from 'node:process'
import { AppError } from '../core/errors.ts'

/**
 * Another live process has the embedded database open. PGlite is one process's database: a
 * second opener keeps its own page cache, so what it writes stays invisible to the first (a key
 * created by `npm run keys` while the server runs would not exist for it) and the two
 * overwrite each other's pages on disk.
 */
export class EmbeddedDatabaseBusyError extends AppError {
  constructor(dataDir: string, pid: number) {
    super(
      'embedded_database_busy',
      `the embedded database in ${dataDir} is open in another process (pid ${pid}); it allows ` +
        'one process at a time: stop the server (Ctrl-C), run this again, then start the ' +
        `server again, or set DATABASE_URL (if no Outpost runs, delete ${join(dataDir, 'pglite.lock')})`,
      { details: { pid } },
    )
  }
}

/** A held lock on a data directory's embedded database; `release` removes it. */
export interface EmbeddedDatabaseLock {
  release(): Promise<void>
}

/**
 * Takes `<dataDir>/pglite.lock` for this process, or throws `EmbeddedDatabaseBusyError` when a
 * live process holds it. A lock left by a process that no longer runs (a crash, SIGKILL) is
 * taken over.
 */
export async function lockEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabaseLock> {
  const path = join(dataDir, 'pglite.lock')
  // The server takes it at start, before anything has created the data directory.
  await mkdir(dataDir, { recursive: true })
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const file = await open(path, 'wx')
      await file.writeFile(String(process.pid))
      await file.close()
      return {
        release: async () => {
          if ((await holder(path)) === process.pid) await rm(path, { force: true })
        },
      }
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error
    }
    const pid = await holder(path)
    if (pid !== undefined && pid !== process.pid && isAlive(pid)) {
      throw new EmbeddedDatabaseBusyError(dataDir, pid)
    }
    // Stale (or unreadable, half-written): remove and try again.
    await rm(path, { force: true })
  }
  throw new Error(`could not take ${path}`)
}

async function holder(path: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(path, 'utf8')).trim(), 10)
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code === 'ESRCH') return false
    // EPERM: it runs, under another user.
    if (code === 'EPERM') return true
    // Deno without --allow-run may not signal: ask /proc where there is one, else assume it runs.
    return existsSync('/proc/self') ? existsSync(`/proc/${pid}`) : true
  }
}
