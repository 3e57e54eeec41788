import { describe, expect, it } from 'vitest'
import type { AgentEvent } from '../../../src/core/agent/agent-event.ts'
import { recordTurn } from '../../../src/core/chat/record-turn.ts'
import { StoreError } from '../../../src/core/errors.ts'
import { createInMemoryHistoryStore } from '../../../src/core/memory/in-memory-history-store.ts'
import { createLogger } from '../../../src/core/telemetry/logger.ts'

async function* turn(text: string): AsyncGenerator<AgentEvent> {
  yield { type: 'text-delta', step: 0, text }
  yield {
    type: 'turn-end',
    reason: 'done',
    text,
    usage: { inputTokens: 1, outputTokens: 1, costUsd: 0 },
  } as AgentEvent
}

async function setUp() {
  const history = createInMemoryHistoryStore()
  await history.upsertUser({ id: 'u1' })
  const conversation = await history.createConversation('u1')
  const run = await history.createRun('u1', { conversationId: conversation.id })
  if (!run) throw new Error('no run')
  return { history, conversation, run }
}

describe('recordTurn', () => {
  it('stores an answer holding U+0000 and a lone surrogate without them', async () => {
    const { history, conversation, run } = await setUp()
    const record = {
      history,
      ownerId: 'u1',
      conversationId: conversation.id,
      runId: run.id,
      now: Date.now,
    }
    for await (const _ of recordTurn(record, turn('nul \u0000 here \ud800'))) {
    }
    const stored = await history.listMessages('u1', conversation.id)
    expect(JSON.stringify(stored)).toContain('nul  here \ufffd')
    expect((await history.getRun('u1', run.id))?.status).toBe('completed')
  })

  it('ends the run failed, logged by code, when the answer cannot be stored', async () => {
    const { history, conversation, run } = await setUp()
    const lines: string[] = []
    const failing = {
      ...history,
      appendMessages: async () => {
        throw new StoreError('history', 'history store: appendMessages failed', {
          code: 'store_failed',
          retryable: false,
          cause: new Error('insert into messages values ($1) params: secret user text'),
        })
      },
    }
    const record = {
      history: failing,
      ownerId: 'u1',
      conversationId: conversation.id,
      runId: run.id,
      now: Date.now,
      logger: createLogger({ level: 'info', write: (_level, line) => lines.push(line) }),
    }
    await expect(async () => {
      for await (const _ of recordTurn(record, turn('hello'))) {
      }
    }).rejects.toThrow()
    const stored = await history.getRun('u1', run.id)
    expect(stored?.status).toBe('failed')
    expect(stored?.finishedAt).not.toBeNull()
    expect(lines.join('\n')).toContain('store_failed')
    expect(lines.join('\n')).not.toContain('secret user text')
  })

  it("keeps the guard's verdicts with the answer: recalled memories, and tool results that stood", async () => {
    const { history, conversation, run } = await setUp()
    const record = {
      history,
      ownerId: 'u1',
      conversationId: conversation.id,
      runId: run.id,
      now: Date.now,
    }
    const guard = (path: 'user-input' | 'recalled-memory' | 'tool-result', toolCallId?: string) =>
      ({
        type: 'guard',
        guard: 'prompt-injection',
        path,
        verdict: path === 'recalled-memory' ? 'block' : 'flag',
        score: 0.9,
        reasons: ['override-instructions'],
        ...(toolCallId ? { toolCallId } : {}),
      }) as AgentEvent
    const call = (step: number, id: string): AgentEvent[] => [
      { type: 'tool-call', step, id, name: 'fetch_page', input: {} },
      { type: 'tool-result', step, id, name: 'fetch_page', ok: true, content: 'x', durationMs: 1 },
      guard('tool-result', id),
    ]
    async function* events(): AsyncGenerator<AgentEvent> {
      yield guard('user-input')
      yield guard('recalled-memory')
      yield* call(1, 'void')
      yield {
        type: 'retry',
        step: 1,
        from: 'a',
        to: 'b',
        restart: true,
        waitMs: 0,
        error: { code: 'x', message: 'x' },
      }
      yield* call(1, 'kept')
      yield* turn('done')
    }
    for await (const _ of recordTurn(record, events())) {
    }
    const [answer] = (await history.listMessages('u1', conversation.id))?.items ?? []
    const part = answer?.content.find((p) => p.type === 'guard')
    expect(part?.verdicts).toEqual([
      { path: 'recalled-memory', verdict: 'block', score: 0.9, reasons: ['override-instructions'] },
      {
        path: 'tool-result',
        verdict: 'flag',
        score: 0.9,
        reasons: ['override-instructions'],
        toolCallId: 'kept',
      },
    ])
  })
})
