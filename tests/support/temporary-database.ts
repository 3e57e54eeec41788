import pg from 'pg'
import { postgresAddress } from './services.ts'

/** A database created on the machine's PostgreSQL for one test file, dropped by `drop`. */
export interface TemporaryDatabase {
  name: string
  /** `postgresql://user@host:port/name`. */
  url: string
  drop(): Promise<void>
}

/** Creates an empty database with a unique name. */
export async function createTemporaryDatabase(label: string): Promise<TemporaryDatabase> {
  const name = `outpost_${label}_${process.pid}_${Date.now().toString(36)}`
  const admin = new pg.Client({ ...postgresAddress })
  await admin.connect()
  try {
    await admin.query(`create database "${name}"`)
  } finally {
    await admin.end()
  }
  const { user, host, port } = postgresAddress
  return {
    name,
    url: `postgresql://${user}:postgres@${host}:${port}/${name}`,
    async drop() {
      const client = new pg.Client({ ...postgresAddress })
      await client.connect()
      try {
        await client.query(`drop database if exists "${name}" with (force)`)
      } finally {
        await client.end()
      }
    },
  }
}
