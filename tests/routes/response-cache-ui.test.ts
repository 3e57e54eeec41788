import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browser, frames, runPath, setup } from '../support/chat-browser.ts'
import { type MockLlm, startMockLlm } from '../support/mock-llm/index.ts'

let mock: MockLlm
beforeAll(async () => {
  mock = await startMockLlm()
})
afterAll(async () => {
  await mock?.close()
})

describe('the response cache in the chat UI', () => {
  it('two identical chats in flight share one model call and stream the same fragments', async () => {
    const { request } = setup({ OPENAI_BASE_URL: `${mock.url}/v1`, LOCAL_MODEL: 'mock-1' })
    const guest = await browser(request)
    mock.script({ kind: 'text', text: 'the same words for both tabs', chunkDelayMs: 15 })
    const content = `ui coalescing ${Date.now()}`
    const start = async () => {
      const response = await guest.post('/c', { content }, { 'Cache-Control': 'max-age=60' })
      expect(response.status).toBe(303)
      const location = response.headers.get('Location') ?? ''
      const [, conversationId = '', runId = ''] = runPath.exec(location) ?? []
      return { location, conversationId, runId }
    }
    const chats = await Promise.all([start(), start()])
    const streams = await Promise.all(
      chats.map(async ({ location, conversationId, runId }) =>
        frames(await (await guest.send(`${location}/events`)).text()).map((frame) =>
          // Ids of the run, its conversation and its stored message differ by design.
          frame.data
            .replaceAll(runId, 'RUN')
            .replaceAll(conversationId, 'CONVERSATION')
            .replace(/id="message-[^"]+"/g, 'id="message-X"')
            .replace(/datetime="[^"]+"/g, 'datetime="X"')
            .replace(/>\d{4}-\d\d-\d\d \d\d:\d\d</g, '>TIME<')
            .replace(/\$0\.\d+/g, '$COST'),
        ),
      ),
    )
    expect(streams[1]).toEqual(streams[0])
    expect(streams[0]?.join('')).toContain('tabs')
    expect(mock.turnRequests()).toHaveLength(1)
  })
})
