import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type MockLlm, startMockLlm } from '../support/mock-llm/index.ts'
import { type RuntimeProcess, startRuntime, waitUntilReady } from '../support/runtime-process.ts'
import { serviceAvailable } from '../support/services.ts'
import {
  startUpstashRedisBridge,
  type UpstashRedisBridge,
} from '../support/upstash-redis-bridge.ts'
import { prepareApiKeys } from './prepare-api-key.ts'

const ready = await serviceAvailable('redis')

/**
 * Coalescing across processes: two Bun processes share Redis through the Upstash REST bridge.
 * The claim (set-if-absent) names one leader among all of them; the others, here or in the
 * other process, follow its flight log, so the mock model is called once.
 */
describe.skipIf(!ready)('request coalescing across two processes over Upstash', () => {
  let mock: MockLlm
  let redis: UpstashRedisBridge
  let apps: RuntimeProcess[] = []
  let secret = ''

  beforeAll(async () => {
    mock = await startMockLlm()
    redis = await startUpstashRedisBridge({})
    const keys = await prepareApiKeys('workers', '', ['carol'] as const)
    secret = keys.secrets.carol
    const vars = {
      ...keys.vars,
      UPSTASH_REDIS_REST_URL: redis.url,
      UPSTASH_REDIS_REST_TOKEN: redis.token,
      OPENAI_BASE_URL: `${mock.url}/v1`,
      LOCAL_MODEL: 'mock-1',
      LOG_LEVEL: 'error',
    }
    apps = await Promise.all([startRuntime('bun', vars), startRuntime('bun', vars)])
    await Promise.all(apps.map((app) => waitUntilReady(app)))
    // The first request opens each process's embedded database: keep that out of the test.
    await Promise.all(apps.map((app) => fetch(`${app.baseUrl}/readyz`).then((r) => r.text())))
  }, 120_000)

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()))
    await Promise.all([mock?.close(), redis?.close()])
  })

  const complete = (app: RuntimeProcess, content: string, stream: boolean) =>
    fetch(`${app.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'local:mock-1',
        temperature: 0,
        stream,
        messages: [{ role: 'user', content }],
      }),
    })

  const textOf = async (response: Response, stream: boolean) => {
    if (!response.ok) throw new Error(`${response.status}: ${await response.text()}`)
    if (!stream) {
      const body = (await response.json()) as { choices: { message: { content: string } }[] }
      return body.choices[0]?.message.content
    }
    let text = ''
    for (const line of (await response.text()).split('\n')) {
      if (!line.startsWith('data: {')) continue
      text += JSON.parse(line.slice(6)).choices[0]?.delta?.content ?? ''
    }
    return text
  }

  it('makes one upstream call for 50 identical concurrent requests over two processes', async () => {
    const answer = 'one answer for every caller in both processes'
    mock.script({ kind: 'text', text: answer, chunkDelayMs: 40 })
    const content = `coalesce across processes ${Date.now()}`
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        complete(apps[i % 2] as RuntimeProcess, content, i % 3 === 0),
      ),
    )
    const statuses = responses.map((r) => r.headers.get('x-cache'))
    expect(statuses.filter((s) => s === 'MISS')).toHaveLength(1)
    const texts = await Promise.all(responses.map((r, i) => textOf(r, i % 3 === 0)))
    expect(new Set(texts)).toEqual(new Set([answer]))
    expect(mock.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1)
    // Stored in Redis: the other process replays it.
    const again = await complete(apps[1] as RuntimeProcess, content, false)
    expect(again.headers.get('x-cache')).toBe('HIT')
    expect(await textOf(again, false)).toBe(answer)
  }, 60_000)
})
