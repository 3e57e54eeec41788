import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const check = 'tests/support/embedded-database-check.ts'
const dirs: string[] = []

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

// Each runtime starts PGlite from scratch (WASM compile + initdb): tens of seconds here.
describe('embedded database (PGlite + pgvector under .data) on every runtime', () => {
  it.each([
    ['node', ['tsx', check]],
    ['bun', ['bun', check]],
    ['deno', ['deno', 'run', '-A', check]],
  ])(
    '%s opens once, persists across reopen and has pgvector',
    { timeout: 180_000 },
    async (_, args) => {
      const dir = await mkdtemp(join(tmpdir(), 'outpost-embedded-'))
      dirs.push(dir)
      const { stdout } = await run('npx', [...args, dir], { timeout: 170_000 })
      const line = stdout.trim().split('\n').at(-1) ?? ''
      expect(JSON.parse(line)).toEqual({ shared: true, title: 'persisted ✓', distance: 1 })
    },
  )
})
