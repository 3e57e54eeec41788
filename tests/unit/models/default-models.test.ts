import { describe, expect, it } from 'vitest'
import { defaultModels, defaultsPastEndOfLife } from '../../../src/core/models/default-models.ts'
import { knownModels } from '../../../src/core/models/known-models.ts'

describe('default models', () => {
  it('are none past their announced end of life today', () => {
    expect(defaultsPastEndOfLife(new Date())).toEqual([])
  })

  it('are all described in the known-models table (price, capabilities)', () => {
    for (const byTier of Object.values(defaultModels)) {
      for (const model of Object.values(byTier).flat()) expect(knownModels[model]).toBeDefined()
    }
  })

  it('counts the end-of-life day itself as past', () => {
    // claude-sonnet-4-5 ends on 2026-11-30; a default naming it would be caught that day.
    expect(knownModels['claude-sonnet-4-5']?.endOfLife).toBe('2026-11-30')
    const farFuture = new Date('2999-01-01T00:00:00Z')
    const withDates = Object.values(defaultModels)
      .flatMap((byTier) => Object.values(byTier).flat())
      .filter((model) => knownModels[model]?.endOfLife !== undefined)
    expect(defaultsPastEndOfLife(farFuture).length).toBe(new Set(withDates).size)
  })
})
