import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type MockLlm, startMockLlm } from '../support/mock-llm/index.ts'
import {
  type RuntimeId,
  type RuntimeProcess,
  startRuntime,
  waitUntilReady,
} from '../support/runtime-process.ts'
import { goodRequestSucceeds, type HostileContext, hostileScenarios } from './hostile-scenarios.ts'
import { prepareApiKeys } from './prepare-api-key.ts'

// Bun's own default, the one that cut streams: a stream must outlive it on heartbeats alone.
// The production default (120 s) is set in config; tests pick the shortest allowed value.
const idleTimeoutSeconds = 10

/**
 * The hostile-input suite of issue 10 for one runtime, over real sockets: one server for the
 * whole suite, the mock LLM as its model provider. Each case asserts status and dialect, then
 * that a good request still succeeds; at the end, the process log holds no stack trace, no SQL
 * and none of the hostile text.
 */
export function defineHostileSuite(runtime: RuntimeId) {
  describe(`${runtime}: hostile input`, () => {
    let proc: RuntimeProcess | undefined
    let mock: MockLlm | undefined
    let context: HostileContext | undefined
    let startError: unknown

    beforeAll(async () => {
      mock = await startMockLlm()
      const dataDir = mkdtempSync(join(tmpdir(), 'outpost-hostile-'))
      const prepared = await prepareApiKeys(runtime, dataDir, ['hostile'] as const)
      proc = await startRuntime(runtime, {
        OPENAI_BASE_URL: `${mock.url}/v1`,
        LOCAL_MODEL: 'mock-1',
        IDLE_TIMEOUT_SECONDS: String(idleTimeoutSeconds),
        STREAM_HEARTBEAT_MS: '1000',
        ...prepared.vars,
      })
      try {
        await waitUntilReady(proc)
      } catch (error) {
        startError = error
      }
      context = {
        baseUrl: proc.baseUrl,
        apiKey: prepared.secrets.hostile,
        runtime,
        mock,
        idleTimeoutSeconds,
        sqlHistory: runtime !== 'workers',
      }
    }, 120_000)

    afterAll(async () => {
      await proc?.stop()
      await mock?.close()
    })

    for (const scenario of hostileScenarios) {
      it(scenario.name, { timeout: scenario.slow ? 60_000 : 30_000 }, async () => {
        if (startError || !context) throw startError
        await scenario.run(context)
        await goodRequestSucceeds(context)
      })
    }

    it('logged no stack trace, no SQL and no hostile text', () => {
      const log = proc?.log() ?? ''
      expect(log).not.toMatch(/^\s+at \S.*:\d+:\d+\)?$/m)
      expect(log).not.toMatch(/\b(insert into|select .{0,200} from|update \S+ set)\b/i)
      expect(log).not.toContain('nul \u0000')
      expect(log).not.toContain('exit exit')
      expect(log).not.toContain('"level":"error"')
    })
  })
}
