import type { Message, Run } from '../../core/domain/history-records.ts'

/**
 * History as it stood before `run` answered: its answer is stored just before the run ends,
 * and a page that replays the run from its log must not show it twice.
 */
export function beforeRunAnswer(messages: readonly Message[], run: Run): Message[] {
  return messages.filter((m) => !(m.role === 'assistant' && m.createdAt >= run.startedAt))
}
