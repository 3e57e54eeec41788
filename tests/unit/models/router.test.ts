import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createCatalog } from '../../../src/core/models/catalog.ts'
import type { ChatMessage } from '../../../src/core/models/chat-model.ts'
import { guessIntent, type Intent } from '../../../src/core/models/intent.ts'
import { createModelClassifier } from '../../../src/core/models/intent-classifier.ts'
import { createRouter } from '../../../src/core/models/router.ts'

interface Labelled {
  prompt: string
  intent: Intent
  image?: boolean
  split?: 'holdout'
}
const rows: Labelled[] = readFileSync(
  new URL('../../fixtures/router-prompts.jsonl', import.meta.url),
  'utf8',
)
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line))

const accuracy = (subset: Labelled[]) =>
  subset.filter((r) => guessIntent(r.prompt, r.image === true).intent === r.intent).length /
  subset.length

const messagesFor = (row: Labelled): ChatMessage[] => [
  {
    role: 'user',
    content: row.image
      ? [
          { type: 'text', text: row.prompt },
          { type: 'image', mediaType: 'image/png', data: 'AAAA' },
        ]
      : row.prompt,
  },
]

describe('router accuracy on the labelled prompts', () => {
  it('has at least 150 prompts, balanced across intents', () => {
    expect(rows.length).toBeGreaterThanOrEqual(150)
    const counts = new Map<string, number>()
    for (const r of rows) counts.set(r.intent, (counts.get(r.intent) ?? 0) + 1)
    expect(counts.size).toBe(5)
    for (const count of counts.values()) expect(count).toBeGreaterThanOrEqual(30)
  })

  it('classifies the set well enough, and reports it', () => {
    const tuned = rows.filter((r) => r.split !== 'holdout')
    const holdout = rows.filter((r) => r.split === 'holdout')
    const all = accuracy(rows)
    console.log(
      `router accuracy: ${(all * 100).toFixed(1)}% of ${rows.length} ` +
        `(written with the heuristics: ${(accuracy(tuned) * 100).toFixed(1)}% of ${tuned.length}; ` +
        `held out, written after tuning stopped: ${(accuracy(holdout) * 100).toFixed(1)}% of ${holdout.length})`,
    )
    // Majority-class guessing scores about 20%. The heuristics were tuned on most of the set,
    // so 90% there only catches regressions; the held-out 20 measure generalisation, and 60%
    // is below what they score now by two prompts' worth of slack.
    expect(all).toBeGreaterThanOrEqual(0.9)
    expect(accuracy(holdout)).toBeGreaterThanOrEqual(0.6)
  })

  it('fixes unsure guesses with a classifier, and only those', async () => {
    const catalog = createCatalog({})
    let asked = 0
    const oracle = new Map(rows.map((r) => [r.prompt, r.intent]))
    const router = createRouter({
      catalog,
      classify: async (text) => {
        asked += 1
        return oracle.get(text)
      },
    })
    let right = 0
    for (const row of rows) {
      const decision = await router.route({ messages: messagesFor(row) })
      if (decision.intent === row.intent) right += 1
    }
    console.log(
      `router accuracy with a perfect classifier on unsure prompts: ${((right / rows.length) * 100).toFixed(1)}%, asked ${asked} times`,
    )
    expect(right / rows.length).toBeGreaterThan(accuracy(rows))
    expect(asked).toBeLessThan(rows.length / 3)
  })
})

describe('createRouter', () => {
  const catalog = createCatalog({ anthropicApiKey: 'a', openaiBaseUrl: 'http://127.0.0.1:9/v1' })
  const router = createRouter({ catalog })
  const ask = (content: string) => router.route({ messages: [{ role: 'user', content }] })

  it('routes by intent to tiers with a readable reason', async () => {
    const code = await ask('Why does my React useEffect run twice?')
    expect(code).toMatchObject({ intent: 'code', tier: 'code', source: 'heuristic' })
    expect(code.candidates.map((c) => c.id)).toEqual([
      'anthropic:claude-sonnet-4-6',
      'local:llama3.2',
    ])
    expect(code.reason).toContain('programming')
    expect(code.reason).toContain('code tier')
    expect((await ask('hi!')).tier).toBe('fast')
    expect((await ask('Prove that there are infinitely many primes.')).tier).toBe('smart')
  })

  it('sends images to the vision tier', async () => {
    const decision = await router.route({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this' },
            { type: 'image', url: 'https://x/y.png' },
          ],
        },
      ],
    })
    expect(decision).toMatchObject({ intent: 'vision', tier: 'vision' })
    expect(decision.candidates.every((c) => c.capabilities.vision)).toBe(true)
  })

  it('honours an explicit model, then an explicit tier', async () => {
    const model = await router.route({
      messages: [{ role: 'user', content: 'hi' }],
      model: 'anthropic:claude-opus-4-1',
      tier: 'fast',
    })
    expect(model).toMatchObject({
      source: 'model',
      reason: 'anthropic:claude-opus-4-1, as requested',
    })
    expect(model.candidates.map((c) => c.id)).toEqual(['anthropic:claude-opus-4-1'])
    const tier = await router.route({
      messages: [{ role: 'user', content: 'Prove it' }],
      tier: 'local',
    })
    expect(tier).toMatchObject({ source: 'tier', tier: 'local' })
    await expect(router.route({ messages: [], model: 'openai:gpt-4.1' })).rejects.toMatchObject({
      code: 'model_unknown',
    })
  })

  it('keeps the heuristic guess when the classifier fails', async () => {
    const failing = createRouter({
      catalog,
      classify: async () => Promise.reject(new Error('down')),
    })
    const decision = await failing.route({
      messages: [
        {
          role: 'user',
          content: 'Give me a title for my presentation about the sea, please, something nice',
        },
      ],
    })
    expect(decision.source).toBe('heuristic')
  })

  it('builds a classifier from a model answer', async () => {
    const classify = createModelClassifier({
      id: 'x:y',
      provider: 'x',
      model: 'y',
      async *stream() {
        yield { type: 'text-delta', text: ' Reasoning.' }
        yield { type: 'finish', reason: 'stop' }
      },
    })
    expect(await classify('should I switch?')).toBe('reasoning')
  })
})

describe('guessIntent complexity', () => {
  it('grows with length and depth markers', () => {
    expect(guessIntent('hi', false).complexity).toBe('low')
    expect(
      guessIntent(`Write a detailed essay ${'about the sea and the sky '.repeat(5)}`, false)
        .complexity,
    ).toBe('high')
    expect(guessIntent('word '.repeat(50), false).complexity).toBe('medium')
  })
})
