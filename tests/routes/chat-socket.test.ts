import { describe, expect, it } from 'vitest'
import { maxFrameChars, type ServerFrame } from '../../src/routes/socket/chat-socket-frames.ts'
import { maxFollowedRuns } from '../../src/routes/socket/chat-socket-session.ts'
import { webSocketScenarios } from '../runtime/websocket-scenarios.ts'
import { createSocketApp } from '../support/socket-app.ts'

const env = { DEMO_WORD_DELAY_MS: '20', LOG_LEVEL: 'error' }

/** The shared socket app, with what the WebSocket scenarios also ask of it. */
async function socketApp(options: { workersStyle?: boolean } = {}) {
  const app = await createSocketApp(env, options)
  return {
    ...app,
    ownOrigin: 'http://localhost',
    connectFrom: async (identity: string, origin: string) => {
      const response = await app.request({
        Upgrade: 'websocket',
        'X-Test-User': identity,
        Origin: origin,
      })
      if (!response.headers.has('X-Test-Socket')) {
        return { status: response.status, body: await response.text() }
      }
      return app.accept(response)
    },
    connectAnonymously: async () => {
      const response = await app.request({ Upgrade: 'websocket' })
      return { status: response.status, body: await response.text() }
    },
  }
}

for (const workersStyle of [false, true]) {
  describe(`/chat in process${workersStyle ? ', without onOpen (as on Workers)' : ''}`, () => {
    for (const scenario of webSocketScenarios) {
      it(scenario.name, async () => {
        await scenario.run(await socketApp({ workersStyle }))
      })
    }
  })
}

describe('/chat over HTTP', () => {
  it('a plain GET with an identity is a JSON 426 naming the upgrade', async () => {
    const { request } = await socketApp()
    const response = await request({ 'X-Test-User': 'u1' })
    expect(response.status).toBe(426)
    expect(await response.json()).toMatchObject({ error: { code: 'upgrade_required' } })
  })

  it('a program is identified by its API key; an unknown key is a 401', async () => {
    const { request, services } = await socketApp()
    await services.memory.history.upsertUser({ id: 'program-user' })
    const key = await services.apiKeys.create({ userId: 'program-user', name: 'ws' })
    const upgraded = await request({ Upgrade: 'websocket', Authorization: `Bearer ${key.secret}` })
    expect(upgraded.headers.get('X-Test-Socket')).toEqual(expect.any(String))
    const unknown = await request({ Upgrade: 'websocket', Authorization: 'Bearer op_unknown' })
    expect(unknown.status).toBe(401)
    expect(await unknown.json()).toMatchObject({ error: { code: 'unauthorized' } })
  })
})

describe('/chat limits', () => {
  it('refuses a frame too large to be a message before parsing it', async () => {
    const app = await socketApp()
    const socket = await app.connect('u-large')
    // The limit leaves room for four images as data URLs, and no more.
    const limit = maxFrameChars(app.services.config.IMAGE_MAX_BYTES)
    socket.send(`{"type":"send","content":"${'x'.repeat(limit)}"}`)
    expect(await socket.next()).toMatchObject({ type: 'error', code: 'frame_too_large' })
  })

  it('follows a bounded number of runs per socket, counting sends still starting', async () => {
    const socket = await (await socketApp()).connect('u-many')
    for (let i = 0; i <= maxFollowedRuns; i++) socket.send({ type: 'send', content: `q${i}` })
    const frames: ServerFrame[] = []
    for (let i = 0; i <= maxFollowedRuns; i++) {
      frames.push(await socket.next((f) => f.type === 'run' || f.type === 'error'))
    }
    expect(frames.filter((f) => f.type === 'run')).toHaveLength(maxFollowedRuns)
    expect(frames.filter((f) => f.type === 'error')).toEqual([
      expect.objectContaining({ code: 'too_many_runs', request: 'send' }),
    ])
    await socket.close()
  })
})

describe('/chat at shutdown', () => {
  it('closes open sockets with 1001 once their frames have started their runs', async () => {
    const { connect, sockets, background } = await socketApp()
    const socket = await connect('u-shutdown')
    socket.send({ type: 'send', content: 'started just before shutdown' })
    await sockets.closeAll(1001, 'server shutting down')
    expect(await socket.closed).toBe(1001)
    // The run was handed to the background before the socket closed, and finishes there.
    expect(background.pending).toBeGreaterThan(0)
    expect(await background.drain(20_000)).toBe(0)
    expect(sockets.size).toBe(0)
  })
})

describe('/chat metrics', () => {
  for (const workersStyle of [false, true]) {
    it(`counts open sockets until they close${workersStyle ? ' (as on Workers)' : ''}`, async () => {
      const app = await socketApp({ workersStyle })
      const open = async () => {
        const text = await app.services.telemetry.metrics.render()
        const line = text
          .split('\n')
          .find((l) => l.startsWith('outpost_open_connections{kind="websocket"} '))
        return line ? Number(line.split(' ')[1]) : 0
      }
      const first = await app.connect('u-gauge-1')
      const second = await app.connect('u-gauge-2')
      expect(await open()).toBe(2)
      await first.close()
      expect(await open()).toBe(1)
      await second.close()
      expect(await open()).toBe(0)
    })
  }
})
