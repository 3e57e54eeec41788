import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import { parseConfig } from '../../src/core/config.ts'
import { createInMemoryHistoryStore } from '../../src/core/memory/in-memory-history-store.ts'
import { createServices, type Services } from '../../src/core/services.ts'
import { createBackgroundTasks } from '../../src/runtime/background-tasks.ts'
import { secret } from '../support/chat-browser.ts'

const hour = 3_600_000
const day = 24 * hour
const nov1 = Date.UTC(2026, 10, 1)

/** The app with a history store on a clock the test moves, and the page's clock pinned. */
async function setup(pageNow: number) {
  let clock = nov1
  const history = createInMemoryHistoryStore({ now: () => clock })
  const env = { LOG_LEVEL: 'error', SESSION_SECRET: secret }
  const platform = { runtime: 'node' as const, hasFileSystem: false }
  const built = await createServices(parseConfig(env), platform)
  const services: Services = { ...built, memory: { ...built.memory, history } }
  const app = createApp({
    platform,
    services: async () => services,
    usage: { now: () => pageNow },
  })
  const background = createBackgroundTasks()
  const request = (path: string, cookie = '') =>
    app.request(
      `http://localhost${path}`,
      { headers: { Accept: 'text/html', Cookie: cookie } },
      env,
      background,
    )
  const home = await request('/')
  const cookie = (home.headers.get('Set-Cookie') ?? '').split(';')[0] ?? ''
  const userId = decodeURIComponent(cookie.split('=')[1] ?? '').split('.')[0] ?? ''
  return {
    history,
    userId,
    homeHtml: await home.text(),
    page: async () => (await request('/usage', cookie)).text(),
    at: (time: number) => {
      clock = time
    },
  }
}

const answer = (model: string, input: number, output: number, costUsd: number) => ({
  role: 'assistant' as const,
  content: [{ type: 'text', text: 'answer' }],
  model,
  usage: { inputTokens: input, outputTokens: output, costUsd },
})

describe('GET /usage', () => {
  it('shows tokens and cost per day and model over the last 30 days', async () => {
    const app = await setup(nov1 + day + 12 * hour) // Nov 2, 12:00 UTC
    expect(app.homeHtml).toContain('href="/usage"')
    const mine = await app.history.createConversation(app.userId)
    app.at(nov1 + 10 * hour)
    await app.history.appendMessages(app.userId, mine.id, [
      { role: 'user', content: [{ type: 'text', text: 'q' }] },
      answer('openai:gpt-5-mini', 100, 20, 0.000055),
      answer('anthropic:claude-haiku-4-5', 10, 5, 0.01),
    ])
    app.at(nov1 + day + 9 * hour)
    await app.history.appendMessages(app.userId, mine.id, [answer('openai:gpt-5-mini', 7, 3, 0.5)])
    app.at(nov1 - 40 * day) // too old for the page
    await app.history.appendMessages(app.userId, mine.id, [answer('openai:gpt-5-mini', 1, 1, 1)])
    await app.history.upsertUser({ id: 'someone-else' })
    const theirs = await app.history.createConversation('someone-else')
    app.at(nov1 + 10 * hour)
    await app.history.appendMessages('someone-else', theirs.id, [
      answer('openai:gpt-5-mini', 999, 999, 9),
    ])

    const html = await app.page()
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).not.toContain('<script>')
    // The CSP forbids inline styles: colours and sizes come from the stylesheet's classes.
    expect(html).not.toMatch(/ style=/)
    expect(html).toContain('from 2026-10-04 to 2026-11-02')
    expect(html).toContain('data-total-tokens="145"')
    expect(html).toContain('<strong>145</strong> tokens, <strong>$0.51</strong> over 3 answers')

    const row = (id: string) =>
      html.slice(
        html.indexOf(`data-row="${id}"`),
        html.indexOf('</tr>', html.indexOf(`data-row="${id}"`)),
      )
    expect(row('openai:gpt-5-mini')).toMatch(
      /data-input="107">107<.*data-output="23">23<.*data-cost="0.500055">\$0.50</,
    )
    expect(row('anthropic:claude-haiku-4-5')).toMatch(
      /data-input="10">10<.*data-output="5">5<.*\$0.01</,
    )
    expect(row('total')).toMatch(/data-input="117">117<.*data-output="28">28</)

    // Per day and model, newest day first.
    const days = [...html.matchAll(/<tr data-day="([^"]+)" data-model="([^"]+)">/g)].map(
      (m) => `${m[1]} ${m[2]}`,
    )
    expect(days).toEqual([
      '2026-11-02 openai:gpt-5-mini',
      '2026-11-01 anthropic:claude-haiku-4-5',
      '2026-11-01 openai:gpt-5-mini',
    ])

    // The chart: one bar per day and model, scaled to the busiest day (135 tokens on Nov 1).
    expect(html).toContain('data-max-tokens="135"')
    const bars = [
      ...html.matchAll(
        /<rect class="usage-bar [^"]+" x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)" data-day="([^"]+)" data-model="([^"]+)" data-tokens="(\d+)"/g,
      ),
    ]
    expect(bars.map((b) => [b[2], b[3], Number(b[4])])).toEqual([
      ['2026-11-01', 'openai:gpt-5-mini', 120],
      ['2026-11-01', 'anthropic:claude-haiku-4-5', 15],
      ['2026-11-02', 'openai:gpt-5-mini', 10],
    ])
    const heights = bars.map((b) => Number(b[1]))
    expect((heights[0] ?? 0) + (heights[1] ?? 0)).toBeCloseTo(200, 0) // the full plot height
    expect(heights[2]).toBeCloseTo((10 / 135) * 200, 0)
  })

  it('says so when there is nothing to show yet', async () => {
    const app = await setup(nov1)
    const html = await app.page()
    expect(html).toContain('No answers in the last 30 days yet.')
    expect(html).not.toContain('<svg class="usage-chart"')
  })
})
