import type { Memory } from '../memory/create-memory.ts'
import type { ReadinessCheck } from './readiness-check.ts'

const probeOwner = 'outpost-readiness-probe'

/** One cheap read per memory, for `/readyz`: each store answers, or says why not. */
export function storeReadiness(memory: Memory): ReadinessCheck[] {
  const backend = (concern: string) =>
    memory.stores.find((store) => store.concern === concern)?.backend ?? 'unknown'
  return [
    {
      name: 'working-memory',
      kind: 'store',
      backend: backend('working memory'),
      check: async () => {
        await memory.kv.get('readiness-probe')
      },
    },
    {
      name: 'conversation-history',
      kind: 'store',
      backend: backend('conversation history'),
      check: async () => {
        await memory.history.getUser(probeOwner)
      },
    },
    {
      name: 'semantic-memory',
      kind: 'store',
      backend: backend('semantic memory'),
      check: async () => {
        await memory.semantic.query('readiness probe', { topK: 1, filter: { owner: probeOwner } })
      },
    },
  ]
}
