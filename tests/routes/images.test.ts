import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AgentEvent } from '../../src/core/agent/agent-event.ts'
import type { ServerFrame } from '../../src/routes/socket/chat-socket-frames.ts'
import { createApiApp, readSse } from '../support/api-app.ts'
import { browser, origin, runPath, setup } from '../support/chat-browser.ts'
import { type MockLlm, startMockLlm } from '../support/mock-llm/index.ts'
import { createSocketApp } from '../support/socket-app.ts'

/*
 * Images on every surface: the composer's multipart form (no JavaScript, and as htmx posts
 * it), REST and WebSocket data URLs. Each reaches the vision tier as an image block (the same
 * content part /v1 builds), is stored with its message and served back to its owner only.
 */

/** A real 1×1 PNG. */
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)
const pngUrl = `data:image/png;base64,${png.toString('base64')}`

let mock: MockLlm
const env = () => ({
  ANTHROPIC_BASE_URL: mock.url,
  ANTHROPIC_API_KEY: 'sk-ant-test',
  IMAGE_MAX_BYTES: '2048',
})

beforeAll(async () => {
  mock = await startMockLlm()
})
afterAll(async () => {
  await mock?.close()
})
beforeEach(() => mock.reset())

/** The image blocks the model was sent in the last user message of the last request. */
function sentImages() {
  const body = mock.turnRequests().at(-1)?.body as {
    messages: { role: string; content: string | { type: string; source?: unknown }[] }[]
  }
  const last = body.messages.at(-1)
  return typeof last?.content === 'string'
    ? []
    : (last?.content ?? []).filter((b) => b.type === 'image')
}

function multipart(
  token: string,
  content: string,
  files: { name: string; type: string; bytes: Uint8Array }[],
) {
  const form = new FormData()
  form.set('_csrf', token)
  form.set('content', content)
  for (const file of files) {
    form.append('image', new File([new Uint8Array(file.bytes)], file.name, { type: file.type }))
  }
  if (files.length === 0)
    form.append('image', new File([], '', { type: 'application/octet-stream' }))
  return form
}

describe('images from the composer (multipart form)', () => {
  it('without JavaScript: stores the image, routes to vision, shows and serves it to its owner', async () => {
    const { request, background } = setup(env())
    const guest = await browser(request)
    expect(guest.html).toContain('enctype="multipart/form-data"')
    expect(guest.html).toContain('type="file" name="image"')
    const posted = await guest.send('/c', {
      method: 'POST',
      headers: { Origin: origin },
      body: multipart(guest.token, 'What is in this picture?', [
        { name: 'dot.png', type: 'image/png', bytes: png },
      ]),
    })
    expect(posted.status).toBe(303)
    const [, conversationId = '', runId = ''] =
      runPath.exec(posted.headers.get('Location') ?? '') ?? []
    const html = await (await guest.send(`/c/${conversationId}/runs/${runId}`)).text()
    expect(html).toMatch(/<span class="badge-model">vision<\/span>/)
    expect(html).toContain('I see 1 image.')
    expect(sentImages()).toEqual([
      {
        type: 'image',
        source: { type: 'base64', media_type: 'image/png', data: png.toString('base64') },
      },
    ])
    await background.drain(2000)

    const page = await (await guest.send(`/c/${conversationId}`)).text()
    const src = /<img src="([^"]+)" alt="Attachment 1 of 1"/.exec(page)?.[1] ?? ''
    expect(src).toMatch(new RegExp(`^/c/${conversationId}/messages/[^/]+/images/0$`))
    const image = await guest.send(src)
    expect(image.status).toBe(200)
    expect(image.headers.get('Content-Type')).toBe('image/png')
    expect(image.headers.get('Cache-Control')).toBe('private, max-age=31536000, immutable')
    expect(image.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(Buffer.from(await image.arrayBuffer()).equals(png)).toBe(true)
    // Another guest, or an index past the end, gets a 404.
    const stranger = await browser(request)
    expect((await stranger.send(src)).status).toBe(404)
    expect((await guest.send(src.replace(/0$/, '1'))).status).toBe(404)
  })

  it('with htmx: the user message fragment shows the image', async () => {
    const { request } = setup(env())
    const guest = await browser(request)
    const first = await guest.send('/c', {
      method: 'POST',
      headers: { Origin: origin },
      body: multipart(guest.token, 'Hello', []),
    })
    const [, conversationId = ''] = runPath.exec(first.headers.get('Location') ?? '') ?? []
    const posted = await guest.send(`/c/${conversationId}/messages`, {
      method: 'POST',
      headers: { Origin: origin, 'HX-Request': 'true' },
      body: multipart(guest.token, 'And this?', [
        { name: 'dot.png', type: 'image/png', bytes: png },
      ]),
    })
    expect(posted.status).toBe(200)
    const fragment = await posted.text()
    expect(fragment).toMatch(
      /<article class="message user"[^>]*>.*<img src="\/c\/[^"]+\/images\/0"/s,
    )
  })

  it('an empty file input is no image: a text message as before', async () => {
    const { request } = setup(env())
    const guest = await browser(request)
    const posted = await guest.send('/c', {
      method: 'POST',
      headers: { Origin: origin },
      body: multipart(guest.token, 'Just text', []),
    })
    expect(posted.status).toBe(303)
    const html = await (await guest.send(posted.headers.get('Location') ?? '')).text()
    expect(html).not.toContain('vision tier')
    expect(sentImages()).toEqual([])
  })

  it('refuses a file that is not an image by its bytes, whatever its declared type (415 fragment)', async () => {
    const { request } = setup(env())
    const guest = await browser(request)
    const fake = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')
    for (const htmx of [false, true]) {
      const posted = await guest.send('/c', {
        method: 'POST',
        headers: { Origin: origin, ...(htmx ? { 'HX-Request': 'true' } : {}) },
        body: multipart(guest.token, 'Look', [
          { name: 'evil.png', type: 'image/png', bytes: fake },
        ]),
      })
      expect(posted.status).toBe(415)
      const text = await posted.text()
      expect(text).toContain('&quot;evil.png&quot; is not a PNG, JPEG, WebP or GIF image')
    }
    // A real PNG declared as JPEG is refused too: the claim and the bytes must agree.
    const lying = await guest.send('/c', {
      method: 'POST',
      headers: { Origin: origin },
      body: multipart(guest.token, 'Look', [{ name: 'dot.jpg', type: 'image/jpeg', bytes: png }]),
    })
    expect(lying.status).toBe(415)
    expect(mock.requests).toHaveLength(0)
  })

  it('refuses an image over IMAGE_MAX_BYTES (413) and more than four images (400)', async () => {
    const { request } = setup(env())
    const guest = await browser(request)
    const big = new Uint8Array(4096)
    big.set(png)
    const tooBig = await guest.send('/c', {
      method: 'POST',
      headers: { Origin: origin },
      body: multipart(guest.token, 'Look', [{ name: 'big.png', type: 'image/png', bytes: big }]),
    })
    expect(tooBig.status).toBe(413)
    expect(await tooBig.text()).toContain('is 4096 bytes; the limit is 2048')
    const five = Array.from({ length: 5 }, (_, i) => ({
      name: `${i}.png`,
      type: 'image/png',
      bytes: png,
    }))
    const many = await guest.send('/c', {
      method: 'POST',
      headers: { Origin: origin },
      body: multipart(guest.token, 'Look', five),
    })
    expect(many.status).toBe(400)
    expect(await many.text()).toContain('at most 4 images')
    expect(mock.requests).toHaveLength(0)
  })
})

describe('images over REST', () => {
  it('accepts data URLs, routes to vision, and refuses bad ones with JSON errors', async () => {
    const app = await createApiApp(env())
    const { secret } = await app.user('images')
    const headers = { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' }
    const created = await app.fetch('http://outpost.test/api/conversations', {
      method: 'POST',
      headers,
      body: JSON.stringify({ title: 'images' }),
    })
    const { id } = (await created.json()) as { id: string }
    const send = (body: unknown, accept = 'application/json') =>
      app.fetch(`http://outpost.test/api/conversations/${id}/messages`, {
        method: 'POST',
        headers: { ...headers, Accept: accept },
        body: JSON.stringify(body),
      })

    const streamed = await send({ content: 'What is this?', images: [pngUrl] }, 'text/event-stream')
    expect(streamed.status).toBe(200)
    const events = (await readSse(streamed)).map((f) => JSON.parse(f.data) as AgentEvent)
    expect(events[0]).toMatchObject({ type: 'route', tier: 'vision', intent: 'vision' })
    expect(events.at(-1)).toMatchObject({
      type: 'turn-end',
      text: expect.stringContaining('I see 1 image.'),
    })
    expect(sentImages()).toHaveLength(1)

    const svg = `data:image/png;base64,${Buffer.from('<svg/>').toString('base64')}`
    const bad = await send({ content: 'x', images: [svg] })
    expect(bad.status).toBe(415)
    expect(await bad.json()).toMatchObject({ error: { code: 'image_type_unsupported' } })
    const big = await send({
      content: 'x',
      images: [`data:image/png;base64,${Buffer.alloc(4096).toString('base64')}`],
    })
    expect(big.status).toBe(413)
    expect(await big.json()).toMatchObject({ error: { code: 'image_too_large' } })
    const notUrl = await send({ content: 'x', images: ['https://example.com/a.png'] })
    expect(notUrl.status).toBe(400)
    expect(await notUrl.json()).toMatchObject({ error: { code: 'invalid_request' } })
  })
})

describe('images over the WebSocket', () => {
  it('accepts data URLs in a send frame and answers from the vision tier; a bad one is an error frame', async () => {
    const { connect, background } = await createSocketApp({ LOG_LEVEL: 'error', ...env() })
    const socket = await connect('ws-images')
    socket.send({ type: 'send', content: 'What is this?', images: [pngUrl] })
    const events: AgentEvent[] = []
    for (;;) {
      const frame: ServerFrame = await socket.next((f) => f.type === 'event' || f.type === 'error')
      if (frame.type !== 'event') throw new Error(JSON.stringify(frame))
      events.push(frame.event)
      if (frame.event.type === 'turn-end') break
    }
    expect(events[0]).toMatchObject({ type: 'route', tier: 'vision' })
    expect(events.at(-1)).toMatchObject({ text: expect.stringContaining('I see 1 image.') })

    socket.send({ type: 'send', content: 'x', images: ['data:image/gif;base64,AAAA'] })
    expect(await socket.next((f) => f.type === 'error')).toMatchObject({
      type: 'error',
      code: 'image_type_unsupported',
      request: 'send',
    })
    await socket.close()
    await background.drain(2000)
  })
})

describe('a large image', () => {
  // A 1×1 PNG padded to about the default IMAGE_MAX_BYTES (700 KB): 940,000 characters of
  // base64, which counted as text is "235,000 tokens", beyond Claude's 200k window.
  const photo = Buffer.concat([png, Buffer.alloc(690 * 1024)])
  const photoUrl = `data:image/png;base64,${photo.toString('base64')}`

  it('reaches a 200k-context model over REST and /v1: an image counts as an image, not as its base64', async () => {
    const app = await createApiApp({
      ANTHROPIC_BASE_URL: mock.url,
      ANTHROPIC_API_KEY: 'sk-ant-test',
    })
    const { secret } = await app.user('photo')
    const headers = { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' }
    const created = await app.fetch('http://outpost.test/api/conversations', {
      method: 'POST',
      headers,
      body: JSON.stringify({ title: 'photo' }),
    })
    const { id } = (await created.json()) as { id: string }
    const rest = await app.fetch(`http://outpost.test/api/conversations/${id}/messages`, {
      method: 'POST',
      headers: { ...headers, Accept: 'text/event-stream' },
      body: JSON.stringify({ content: 'What is this?', images: [photoUrl] }),
    })
    expect(rest.status).toBe(200)
    const events = (await readSse(rest)).map((f) => JSON.parse(f.data) as AgentEvent)
    expect(events.at(-1)).toMatchObject({
      type: 'turn-end',
      reason: 'done',
      text: expect.stringContaining('I see 1 image.'),
    })
    expect(sentImages()).toHaveLength(1)

    const completion = await app.fetch('http://outpost.test/v1/chat/completions', {
      method: 'POST',
      headers,
      body: JSON.stringify({
        model: 'anthropic:claude-haiku-4-5',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: photoUrl } },
            ],
          },
        ],
      }),
    })
    expect(completion.status).toBe(200)
    const answer = (await completion.json()) as { choices: { message: { content: string } }[] }
    expect(answer.choices[0]?.message.content).toContain('I see 1 image.')
  })
})

describe('inline images on the compatible endpoints', () => {
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01])
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')
  const openAi = (url: string) => ({
    model: 'anthropic:claude-haiku-4-5',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url } },
        ],
      },
    ],
  })
  const anthropic = (mediaType: string, data: string) => ({
    model: 'anthropic:claude-haiku-4-5',
    max_tokens: 50,
    messages: [
      {
        role: 'user',
        content: [{ type: 'image', source: { type: 'base64', media_type: mediaType, data } }],
      },
    ],
  })

  it('refuses what is not an image, or too large, in the dialect, before any model is called', async () => {
    const app = await createApiApp(env())
    const { secret } = await app.user('inline')
    const post = (path: string, body: unknown) =>
      app.fetch(`http://outpost.test${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      })
    const refusals: [string, unknown, number, string][] = [
      ['/v1/chat/completions', openAi('data:image/png;base64,@@@@'), 415, 'image_type_unsupported'],
      [
        '/v1/chat/completions',
        openAi(`data:image/png;base64,${svg.toString('base64')}`),
        415,
        'image_type_unsupported',
      ],
      [
        '/v1/chat/completions',
        openAi(
          `data:image/png;base64,${Buffer.concat([png, Buffer.alloc(4096)]).toString('base64')}`,
        ),
        413,
        'image_too_large',
      ],
    ]
    for (const [path, body, status, code] of refusals) {
      const response = await post(path, body)
      expect(response.status).toBe(status)
      expect(await response.json()).toMatchObject({
        error: { type: 'invalid_request_error', code },
      })
    }
    const anthropicRefusal = await post('/v1/messages', anthropic('image/png', '!!!!'))
    expect(anthropicRefusal.status).toBe(415)
    expect(await anthropicRefusal.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringContaining('not a PNG') },
    })
    expect(mock.turnRequests()).toHaveLength(0)
  })

  it('passes a mislabelled image on under the type its bytes say', async () => {
    const app = await createApiApp(env())
    const { secret } = await app.user('inline')
    const response = await app.fetch('http://outpost.test/v1/chat/completions', {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(openAi(`data:image/png;base64,${jpeg.toString('base64')}`)),
    })
    expect(response.status).toBe(200)
    expect(sentImages()).toEqual([
      {
        type: 'image',
        source: { type: 'base64', media_type: 'image/jpeg', data: jpeg.toString('base64') },
      },
    ])
  })
})
