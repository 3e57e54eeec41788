import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readSse } from '../support/api-app.ts'
import {
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from '../support/otlp-receiver.ts'
import { promtoolAvailable, promtoolCheck } from '../support/promtool.ts'
import {
  type RuntimeId,
  type RuntimeProcess,
  startRuntime,
  waitUntilReady,
} from '../support/runtime-process.ts'
import { prepareApiKeys } from './prepare-api-key.ts'

const hasPromtool = promtoolAvailable()
const metricsToken = 'scrape-token-for-the-runtime-test'
const runtimes: RuntimeId[] = ['workers', 'node', 'bun', 'deno']

/** The value of one series, or 0 when it is absent. */
function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line ? Number(line.slice(series.length + 1)) : 0
}

/**
 * Each runtime from its real entry, exporting to a local OTLP receiver: one chat turn with a
 * tool call (the demo model calls the calculator) is one trace, request → chat → tool, in the
 * caller's trace; `/metrics` moves. Workers is scraped with METRICS_TOKEN (no socket address
 * reaches a Worker); the others without it, from loopback, which proves each entry passes
 * the peer's address.
 */
describe.each(runtimes)('telemetry on %s', (runtime) => {
  let proc: RuntimeProcess | undefined
  let receiver: OtlpReceiver
  let secret = ''
  const dataDir = mkdtempSync(join(tmpdir(), 'outpost-telemetry-'))
  const scrapeHeaders: Record<string, string> =
    runtime === 'workers' ? { Authorization: `Bearer ${metricsToken}` } : {}

  beforeAll(async () => {
    receiver = await startOtlpReceiver()
    const prepared = await prepareApiKeys(runtime, dataDir, ['traced'] as const)
    secret = prepared.secrets.traced
    proc = await startRuntime(runtime, {
      ...prepared.vars,
      DEMO_WORD_DELAY_MS: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      METRICS_FLUSH_SECONDS: '0',
      ...(runtime === 'workers' ? { METRICS_TOKEN: metricsToken } : {}),
    })
    await waitUntilReady(proc)
  }, 120_000)

  afterAll(async () => {
    await proc?.stop()
    await receiver?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${proc?.baseUrl}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${secret}`,
        'Content-Type': 'application/json',
        ...(init.headers as Record<string, string>),
      },
    })

  it('exports one chat turn as one trace: request → chat → tool', async () => {
    const traceId = crypto.randomUUID().replace(/-/g, '')
    const callerSpanId = '00f067aa0ba902b7'
    const created = await call('/api/conversations', { method: 'POST', body: '{}' })
    const { id } = (await created.json()) as { id: string }
    const sent = await call(`/api/conversations/${id}/messages`, {
      method: 'POST',
      body: JSON.stringify({ content: 'what is 6 * 7?' }),
      headers: { traceparent: `00-${traceId}-${callerSpanId}-01` },
    })
    expect(sent.status).toBe(202)
    const { events_url } = (await sent.json()) as { events_url: string }
    const frames = await readSse(await call(events_url))
    expect(frames.at(-1)?.event).toBe('turn-end')

    const inTrace = (spans: ReceivedSpan[]) => spans.filter((s) => s.traceId === traceId)
    const spans = inTrace(
      await receiver.waitFor((all) => {
        const mine = inTrace(all)
        return (
          mine.filter((s) => s.name.startsWith('chat ')).length >= 2 &&
          mine.some((s) => s.name === 'execute_tool calculator') &&
          mine.some((s) => s.name === 'gate message')
        )
      }, 20_000),
    )
    const request = spans.find((s) => s.name === 'POST /api/conversations/:id/messages')
    expect(request?.parentSpanId).toBe(callerSpanId)
    // request → gate → chat → tool: the run lives on in the background, under its gate span.
    const gate = spans.find((s) => s.name === 'gate message')
    expect(gate?.parentSpanId).toBe(request?.spanId)
    const chats = spans.filter((s) => s.name.startsWith('chat '))
    for (const chat of chats) {
      expect(chat.parentSpanId).toBe(gate?.spanId)
      expect(chat.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'outpost_demo',
      })
      expect(chat.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0)
    }
    const tool = spans.find((s) => s.name === 'execute_tool calculator')
    expect(chats.map((c) => c.spanId)).toContain(tool?.parentSpanId)
    expect(chats.find((c) => c.spanId === tool?.parentSpanId)?.attributes).toMatchObject({
      'gen_ai.response.finish_reasons': ['tool-calls'],
    })
    expect(request?.resource).toMatchObject({ 'outpost.runtime': runtime })
    if (runtime !== 'workers') {
      // History on PGlite: its calls for the turn are spans in the same trace.
      const stored = spans.find((s) => s.name === 'history createRun')
      expect(stored?.parentSpanId).toBe(gate?.spanId)
      expect(stored?.attributes).toMatchObject({ 'outpost.store': 'history' })
    }
  }, 60_000)

  it('serves /metrics, and its counters move', async () => {
    if (runtime === 'workers') expect((await call('/metrics')).status).toBe(401)
    const scrape = async () => {
      const response = await fetch(`${proc?.baseUrl}/metrics`, { headers: scrapeHeaders })
      expect(response.status).toBe(200)
      return response.text()
    }
    const series =
      'outpost_http_request_duration_seconds_count{method="GET",route="/api/conversations",status="200"}'
    const before = value(await scrape(), series)
    await call('/api/conversations')
    await call('/api/conversations')
    // Workers add their numbers to the shared store in the background, after the response.
    let after = before
    for (let i = 0; i < 50 && after < before + 2; i++) {
      after = value(await scrape(), series)
      if (after < before + 2) await new Promise((r) => setTimeout(r, 100))
    }
    expect(after).toBe(before + 2)
    const text = await scrape()
    expect(value(text, 'outpost_tool_calls_total{tool="calculator",outcome="ok"}')).toBe(1)
    if (hasPromtool) expect(promtoolCheck(text).output).toBe('')
  }, 30_000)

  it.skipIf(runtime === 'workers')(
    'sends the last spans before it exits on SIGTERM',
    async () => {
      const traceId = crypto.randomUUID().replace(/-/g, '')
      await call('/api/conversations', {
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      })
      // Within the batch delay (2 s): the span is still waiting in this process.
      proc?.signal('SIGTERM')
      await proc?.exited
      expect(
        receiver.spans.some((s) => s.traceId === traceId && s.name === 'GET /api/conversations'),
      ).toBe(true)
    },
    30_000,
  )
})
