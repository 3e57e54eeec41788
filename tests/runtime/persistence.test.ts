import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startRuntime, waitUntilReady } from '../support/runtime-process.ts'
import { prepareApiKeys } from './prepare-api-key.ts'

/**
 * The embedded default keeps conversations: with no services configured, a conversation made
 * through the app is still there, answer included, after the process restarts on the same
 * DATA_DIR. Bun is what `npm start` runs; Node and Deno open the same PGlite files.
 */
describe('embedded defaults persist across restarts', () => {
  const dataDirs: string[] = []
  afterAll(() => {
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true })
  })

  for (const [first, second] of [
    ['bun', 'bun'],
    ['node', 'deno'],
  ] as const) {
    it(`a conversation made on ${first} is read back on ${second} after a restart`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'outpost-persist-'))
      dataDirs.push(dataDir)
      const { secrets } = await prepareApiKeys(first, dataDir, ['keeper'])
      const headers = {
        Authorization: `Bearer ${secrets.keeper}`,
        'Content-Type': 'application/json',
      }
      const vars = { DATA_DIR: dataDir, DEMO_WORD_DELAY_MS: '0' }

      const before = await startRuntime(first, vars)
      let conversationId: string
      try {
        await waitUntilReady(before)
        const created = await fetch(`${before.baseUrl}/api/conversations`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ title: 'keep me' }),
        })
        conversationId = ((await created.json()) as { id: string }).id
        const sent = await fetch(`${before.baseUrl}/api/conversations/${conversationId}/messages`, {
          method: 'POST',
          headers: { ...headers, Accept: 'text/event-stream' },
          body: JSON.stringify({ content: 'What is 6 * 7?' }),
        })
        // Reading the stream to its end means the answer was recorded before it closed.
        expect(await sent.text()).toContain('event: turn-end')
      } finally {
        await before.stop()
      }

      const after = await startRuntime(second, vars)
      try {
        await waitUntilReady(after)
        const read = await fetch(`${after.baseUrl}/api/conversations/${conversationId}`, {
          headers,
        })
        expect(read.status).toBe(200)
        const body = (await read.json()) as {
          title: string
          messages: Array<{ role: string; content: Array<{ text?: string }> }>
        }
        expect(body.title).toBe('keep me')
        expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant'])
        expect(body.messages[1]?.content[0]?.text).toContain('42')
      } finally {
        await after.stop()
      }
    }, 120_000)
  }
})
