import { describe, expect, it } from 'vitest'
import { asAppError, clientError } from '../../../src/core/client-error.ts'
import { AppError } from '../../../src/core/errors.ts'
import type { GateOutcome, GateStage, StageVerdict } from '../../../src/core/gate/gate-stage.ts'
import { passStages } from '../../../src/core/gate/pass-stages.ts'
import type { RequestContext } from '../../../src/core/gate/request-context.ts'
import { validTraceparent } from '../../../src/core/gate/request-context.ts'
import { ProviderError } from '../../../src/core/models/provider-error.ts'
import { createLogger } from '../../../src/core/telemetry/logger.ts'

const context: RequestContext = {
  principal: { userId: 'u1', kind: 'api-key' },
  surface: 'rest',
  requestId: 'r1',
}
const work = { kind: 'message' as const, content: 'hi' }
const logger = createLogger({ level: 'error', write: () => {} })

function stage(name: string, verdict: StageVerdict, log: string[]): GateStage {
  return {
    name,
    check: () => {
      log.push(name)
      return verdict
    },
  }
}

describe('passStages', () => {
  it('runs stages in order and settles them last first', async () => {
    const log: string[] = []
    const settle = (name: string) => (outcome: GateOutcome) => {
      log.push(`settle ${name} ${outcome.kind}`)
    }
    const admission = await passStages(
      [
        stage('a', { kind: 'continue', settle: settle('a') }, log),
        stage('b', { kind: 'continue', settle: settle('b') }, log),
      ],
      context,
      work,
      logger,
    )
    expect(admission.answer).toBeUndefined()
    await admission.settle({ kind: 'finished', runId: 'x', status: 'completed' })
    expect(log).toEqual(['a', 'b', 'settle b finished', 'settle a finished'])
  })

  it('stops at a refusal, settles the stages before it, and rejects with its error', async () => {
    const log: string[] = []
    const refusal = new AppError('rate_limited', 'no', { status: 429 })
    const outcomes: GateOutcome[] = []
    const run = passStages(
      [
        stage('a', { kind: 'continue', settle: (o) => void outcomes.push(o) }, log),
        stage('b', { kind: 'refuse', error: refusal }, log),
        stage('c', { kind: 'continue' }, log),
      ],
      context,
      work,
      logger,
    )
    await expect(run).rejects.toBe(refusal)
    expect(log).toEqual(['a', 'b'])
    expect(outcomes).toEqual([{ kind: 'not-started', error: refusal }])
  })

  it('stops at an answer and hands its events on', async () => {
    const log: string[] = []
    const events = (async function* () {})()
    const admission = await passStages(
      [
        stage('cache', { kind: 'answer', source: 'cache', events }, log),
        stage('z', { kind: 'continue' }, log),
      ],
      context,
      work,
      logger,
    )
    expect(log).toEqual(['cache'])
    expect(admission.answer).toEqual({ source: 'cache', events })
  })

  it('treats a stage that throws as a refusal, with an internal error for unknown throws', async () => {
    const broken: GateStage = {
      name: 'broken',
      check: () => {
        throw new Error('oops')
      },
    }
    await expect(passStages([broken], context, work, logger)).rejects.toMatchObject({
      code: 'internal_error',
      status: 500,
    })
  })

  it('logs a settle that fails instead of throwing', async () => {
    const lines: string[] = []
    const admission = await passStages(
      [
        {
          name: 'flaky',
          check: () => ({
            kind: 'continue',
            settle: () => Promise.reject(new Error('store down')),
          }),
        },
      ],
      context,
      work,
      createLogger({ level: 'error', write: (_level, line) => lines.push(line) }),
    )
    await admission.settle({ kind: 'finished', runId: 'x', status: 'failed' })
    expect(lines.join('\n')).toContain('gate stage settle failed')
  })
})

describe('clientError', () => {
  it('hides server errors and keeps client ones', () => {
    expect(clientError(asAppError(new Error('secret detail')))).toEqual({
      code: 'internal_error',
      status: 500,
      message: 'Internal server error',
      retryable: false,
    })
    expect(clientError(new AppError('not_found', 'No such run', { status: 404 }))).toMatchObject({
      message: 'No such run',
    })
  })

  it('sets Retry-After on a 429, and on a retryable 503 from the provider own value', () => {
    expect(clientError(new AppError('rate_limited', 'x', { status: 429 })).retryAfterSeconds).toBe(
      1,
    )
    const busy = new ProviderError('provider_rate_limited', 'busy', {
      provider: 'openai',
      model: 'openai:gpt',
      retryable: true,
      retryAfterMs: 60_000,
    })
    expect(clientError(busy).retryAfterSeconds).toBe(60)
    expect(clientError(new AppError('not_found', 'x', { status: 404 })).retryAfterSeconds).toBe(
      undefined,
    )
  })
})

describe('validTraceparent', () => {
  it('keeps a well-formed W3C traceparent and drops anything else', () => {
    const value = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
    expect(validTraceparent(value)).toBe(value)
    expect(validTraceparent('00-xyz')).toBeUndefined()
    expect(validTraceparent(undefined)).toBeUndefined()
    expect(validTraceparent(`${value}\r\nX-Evil: 1`)).toBeUndefined()
  })
})
