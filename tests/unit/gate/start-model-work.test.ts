import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../../src/core/config.ts'
import { NotFoundError } from '../../../src/core/errors.ts'
import type { RequestContext } from '../../../src/core/gate/request-context.ts'
import { startModelWork } from '../../../src/core/gate/start-model-work.ts'
import { gateDeps } from '../../../src/core/request-deps.ts'
import { followRun } from '../../../src/core/runs/run-access.ts'
import { createServices } from '../../../src/core/services.ts'
import { createLogger } from '../../../src/core/telemetry/logger.ts'
import { createBackgroundTasks } from '../../../src/runtime/background-tasks.ts'
import { collect } from '../../support/collect.ts'

async function setup() {
  const services = await createServices(
    parseConfig({ DEMO_WORD_DELAY_MS: '0', LOG_LEVEL: 'error' }),
    { runtime: 'node', hasFileSystem: false },
  )
  const background = createBackgroundTasks()
  const deps = gateDeps({ ...services, defer: (p) => background.waitUntil(p) })
  return { services, background, deps }
}

const context = (userId: string): RequestContext => ({
  principal: { userId, kind: 'api-key' },
  surface: 'openai',
  requestId: 'req-1',
})

describe('a stateless completion through the gate', () => {
  it('is a run: its events are logged for a short time and its owner can follow them', async () => {
    const { services, deps } = await setup()
    const started = await startModelWork(deps, context('alice'), {
      kind: 'completion',
      request: { messages: [{ role: 'user', content: 'hello there' }] },
    })
    const text = (await collect(started.events))
      .map((event) => (event.type === 'text-delta' ? event.text : ''))
      .join('')
    expect(await started.settled).toMatchObject({ runId: started.runId, status: 'completed' })
    expect((await services.runLog.info(started.runId))?.ttlMs).toBe(5 * 60_000)
    const entries = await collect(await followRun(deps, 'alice', started.runId, 0))
    const end = entries.at(-1)?.event
    expect(end).toMatchObject({ type: 'turn-end', reason: 'done', text })
    expect(entries[0]?.event.type).toBe('route')
    await expect(followRun(deps, 'mallory', started.runId, 0)).rejects.toBeInstanceOf(NotFoundError)
  })

  it('rejects an invalid model before any stage or run', async () => {
    const { deps } = await setup()
    await expect(
      startModelWork(deps, context('alice'), {
        kind: 'completion',
        model: 'gpt-4o',
        request: { messages: [{ role: 'user', content: 'hi' }] },
      }),
    ).rejects.toMatchObject({ code: 'model_invalid' })
  })
})

describe('logs of work started through the gate', () => {
  it('carry the request id and the run id, also from background work', async () => {
    const { deps, background } = await setup()
    const lines: Record<string, unknown>[] = []
    const logger = createLogger({
      level: 'debug',
      write: (_level, line) => lines.push(JSON.parse(line)),
    })
    const failing = {
      ...deps.semantic,
      query: () => Promise.reject(new Error('vector store down')),
    }
    const sent = await startModelWork(
      { ...deps, logger, semantic: failing },
      { ...context('bob'), surface: 'rest', requestId: 'req-42' },
      { kind: 'message', content: 'hello' },
    )
    await collect(sent.run.events)
    await background.drain(2000)
    expect(lines.find((line) => line.message === 'recall failed')).toMatchObject({
      request_id: 'req-42',
      surface: 'rest',
      run_id: sent.run.id,
    })
  })
})
