import { describe, expect, it } from 'vitest'
import { StoreError } from '../../src/core/errors.ts'
import { checkReadiness } from '../../src/core/health/check-readiness.ts'
import type { ReadinessCheck } from '../../src/core/health/readiness-check.ts'

const check = (name: string, run: ReadinessCheck['check']): ReadinessCheck => ({
  name,
  kind: 'store',
  backend: 'test',
  check: run,
})

describe('checkReadiness', () => {
  it('is ready with no checks and with passing checks', async () => {
    expect(await checkReadiness([], { timeoutMs: 100 })).toEqual({ status: 'ready', checks: [] })
    const report = await checkReadiness([check('a', async () => {})], { timeoutMs: 100 })
    expect(report.status).toBe('ready')
    expect(report.checks[0]).toMatchObject({ name: 'a', ok: true })
  })

  it('reports a failing check by its error code, never by its message', async () => {
    const report = await checkReadiness(
      [
        check('typed', async () => {
          throw new StoreError('kv', 'connect to https://user:secret@host failed', {
            retryable: true,
          })
        }),
        check('raw', async () => {
          throw new Error('password=hunter2 rejected')
        }),
        check('fine', async () => {}),
      ],
      { timeoutMs: 1000 },
    )
    expect(report.status).toBe('not_ready')
    expect(report.checks.map((c) => [c.name, c.ok, c.error])).toEqual([
      ['typed', false, 'store_unavailable'],
      ['raw', false, 'unavailable'],
      ['fine', true, undefined],
    ])
    expect(JSON.stringify(report)).not.toMatch(/secret|hunter2/)
  })

  it('times out a hanging check and aborts its signal', async () => {
    let aborted = false
    const report = await checkReadiness(
      [
        check('hangs', (signal) => {
          signal.addEventListener('abort', () => {
            aborted = true
          })
          return new Promise(() => {})
        }),
      ],
      { timeoutMs: 20 },
    )
    expect(report.checks[0]).toMatchObject({ ok: false, error: 'timeout' })
    expect(aborted).toBe(true)
  })

  it('measures latency with the injected clock', async () => {
    let t = 1000
    const report = await checkReadiness(
      [
        check('slow', async () => {
          t += 42
        }),
      ],
      { timeoutMs: 100, now: () => t },
    )
    expect(report.checks[0]?.latency_ms).toBe(42)
  })
})
