import { expect } from 'vitest'
import type { AgentEvent } from '../../src/core/agent/agent-event.ts'
import type { ServerFrame } from '../../src/routes/socket/chat-socket-frames.ts'
import type { ConnectFrames, FrameSocket } from '../support/frame-socket.ts'

/** How a WebSocket scenario reaches `/chat`: as a named identity, or as nobody. */
export interface WebSocketScenarioContext {
  connect: ConnectFrames
  /** Attempts the upgrade without an identity; the HTTP answer it got instead. */
  connectAnonymously(): Promise<{ status: number; body: string }>
  /** Attempts the upgrade as `identity` from a page at `origin`; refused, or opened. */
  connectFrom(
    identity: string,
    origin: string,
  ): Promise<{ status: number; body: string } | FrameSocket>
  /** The server's own origin, as a browser on its pages would send it. */
  ownOrigin: string
}

/** One WebSocket scenario, run in process and on every runtime. */
export interface WebSocketScenario {
  name: string
  run(context: WebSocketScenarioContext): Promise<void>
}

type Logged = { seq: number; event: AgentEvent }

const isFrame =
  <T extends ServerFrame['type']>(type: T, runId?: string) =>
  (frame: ServerFrame): frame is Extract<ServerFrame, { type: T }> =>
    frame.type === type && (runId === undefined || ('run_id' in frame && frame.run_id === runId))

async function started(socket: FrameSocket) {
  const run = await socket.next(isFrame('run'))
  if (run.type !== 'run') throw new Error('unreachable')
  return run
}

/** A run's event frames on `socket`, until its `run-end`; an error frame for it fails. */
async function readRun(socket: FrameSocket, runId: string, until?: (logged: Logged) => boolean) {
  const events: Logged[] = []
  for (;;) {
    const frame = await socket.next((f) => 'run_id' in f && f.run_id === runId)
    if (frame.type === 'error') throw new Error(`error frame: ${JSON.stringify(frame)}`)
    if (frame.type === 'run-end') return { events, status: frame.status }
    if (frame.type !== 'event') continue
    events.push({ seq: frame.seq, event: frame.event })
    if (until?.(events.at(-1) as Logged)) return { events, status: undefined }
  }
}

function expectContiguous(events: Logged[], first: number) {
  expect(events.map((e) => e.seq)).toEqual(events.map((_, index) => first + index))
}

const textOf = (events: Logged[]) =>
  events.map((e) => (e.event.type === 'text-delta' ? e.event.text : '')).join('')

function turnEnd(events: Logged[]) {
  const last = events.at(-1)?.event
  if (last?.type !== 'turn-end') throw new Error(`last event is ${JSON.stringify(last)}`)
  return last
}

async function expectError(socket: FrameSocket, code: string, request?: string) {
  const frame = await socket.next(isFrame('error'))
  expect(frame).toMatchObject({ type: 'error', code, message: expect.any(String) })
  if (request === undefined) expect(frame).not.toHaveProperty('request')
  else expect(frame).toMatchObject({ request })
  return frame
}

/** The WebSocket scenarios every runtime must pass (with the demo model a little slow). */
export const webSocketScenarios: WebSocketScenario[] = [
  {
    name: 'an upgrade without an identity is refused with a JSON 401',
    async run({ connectAnonymously }) {
      const refused = await connectAnonymously()
      expect(refused.status).toBe(401)
      expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'unauthorized' } })
    },
  },
  {
    name: 'an upgrade from a page of another site is a JSON 403; from our own pages it opens',
    async run({ connectFrom, ownOrigin }) {
      const foreign = await connectFrom('ws-alice', 'https://evil.example')
      if (!('status' in foreign)) throw new Error('a foreign page was let in')
      expect(foreign.status).toBe(403)
      expect(JSON.parse(foreign.body)).toMatchObject({ error: { code: 'origin_forbidden' } })
      const own = await connectFrom('ws-alice', ownOrigin)
      if ('status' in own) throw new Error(`refused: ${own.status} ${own.body}`)
      await own.close()
    },
  },
  {
    name: 'send streams every event of the run in order, then run-end',
    async run({ connect }) {
      const socket = await connect('ws-alice')
      socket.send({ type: 'send', content: 'hello over a socket' })
      const run = await started(socket)
      const { events, status } = await readRun(socket, run.run_id)
      expectContiguous(events, 1)
      const end = turnEnd(events)
      expect(end.reason).toBe('done')
      expect(textOf(events)).toBe(end.text)
      expect(end.text).toContain('hello over a socket')
      expect(status).toBe('completed')

      socket.send({ type: 'send', conversation_id: run.conversation_id, content: 'and again' })
      const second = await started(socket)
      expect(second.conversation_id).toBe(run.conversation_id)
      expect(turnEnd((await readRun(socket, second.run_id)).events).reason).toBe('done')
      await socket.close()
    },
  },
  {
    name: 'cancel mid-answer ends the turn cancelled',
    async run({ connect }) {
      const socket = await connect('ws-alice')
      socket.send({ type: 'send', content: 'please be interrupted' })
      const run = await started(socket)
      const before = await readRun(socket, run.run_id, (e) => e.event.type === 'text-delta')
      socket.send({ type: 'cancel', run_id: run.run_id })
      const after = await readRun(socket, run.run_id)
      const events = [...before.events, ...after.events]
      expectContiguous(events, 1)
      expect(turnEnd(events).reason).toBe('cancelled')
      expect(after.status).toBe('cancelled')
      // A second cancel finds the run over.
      socket.send({ type: 'cancel', run_id: run.run_id })
      expect(await expectError(socket, 'run_not_live', 'cancel')).toMatchObject({
        run_id: run.run_id,
      })
      await socket.close()
    },
  },
  {
    name: 'a dropped socket does not stop the run; resume sends exactly the remaining events',
    async run({ connect }) {
      const first = await connect('ws-alice')
      first.send({ type: 'send', content: 'survive a dropped connection' })
      const run = await started(first)
      const seen = await readRun(first, run.run_id, (e) => e.seq >= 4)
      await first.close()
      const lastSeq = seen.events.at(-1)?.seq ?? 0

      const second = await connect('ws-alice')
      second.send({ type: 'resume', run_id: run.run_id, after_seq: lastSeq })
      const rest = await readRun(second, run.run_id)
      expect(rest.events[0]?.seq).toBe(lastSeq + 1)
      const events = [...seen.events, ...rest.events]
      expectContiguous(events, 1)
      expect(turnEnd(events).reason).toBe('done')
      expect(textOf(events)).toBe(turnEnd(events).text)
      expect(rest.status).toBe('completed')

      // The whole run, replayed from the start, is exactly what the two sockets saw together.
      second.send({ type: 'resume', run_id: run.run_id, after_seq: 0 })
      expect((await readRun(second, run.run_id)).events).toEqual(events)
      await second.close()
    },
  },
  {
    name: 'malformed frames get error frames and the socket keeps working',
    async run({ connect }) {
      const socket = await connect('ws-alice')
      socket.send('this is not json')
      await expectError(socket, 'invalid_json')
      socket.send({ type: 'shout', content: 'hi' })
      await expectError(socket, 'unknown_frame_type', 'shout')
      socket.send('[1, 2, 3]')
      await expectError(socket, 'unknown_frame_type')
      socket.send({ type: 'send' })
      const missing = await expectError(socket, 'invalid_request', 'send')
      expect(missing).toMatchObject({ details: [{ path: 'content' }] })
      socket.send({ type: 'resume', run_id: 'r1', after_seq: -1 })
      await expectError(socket, 'invalid_request', 'resume')
      socket.send({ type: 'send', content: 'x'.repeat(32_001) })
      await expectError(socket, 'message_too_long', 'send')
      socket.send({ type: 'send', content: '   ' })
      await expectError(socket, 'message_empty', 'send')
      socket.send(new TextEncoder().encode('{"type":"send","content":"binary"}'))
      await expectError(socket, 'invalid_frame')
      // Text a database cannot store is the client's mistake (400), never a store failure.
      socket.send('{"type":"send","content":"nul \\u0000 here"}')
      await expectError(socket, 'text_invalid', 'send')
      socket.send('{"type":"send","content":"half \\ud800 a pair"}')
      await expectError(socket, 'text_invalid', 'send')

      socket.send({ type: 'send', content: 'still here' })
      const run = await started(socket)
      expect(turnEnd((await readRun(socket, run.run_id)).events).reason).toBe('done')
      await socket.close()
    },
  },
  {
    name: "another identity's run and conversation are not found",
    async run({ connect }) {
      const alice = await connect('ws-alice')
      alice.send({ type: 'send', content: 'mine alone' })
      const run = await started(alice)
      const bob = await connect('ws-bob')
      bob.send({ type: 'resume', run_id: run.run_id, after_seq: 0 })
      expect(await expectError(bob, 'not_found', 'resume')).toMatchObject({ run_id: run.run_id })
      bob.send({ type: 'cancel', run_id: run.run_id })
      await expectError(bob, 'not_found', 'cancel')
      bob.send({ type: 'send', conversation_id: run.conversation_id, content: 'let me in' })
      await expectError(bob, 'not_found', 'send')
      // Alice's run was neither followed by Bob nor stopped by him.
      expect(turnEnd((await readRun(alice, run.run_id)).events).reason).toBe('done')
      await Promise.all([alice.close(), bob.close()])
    },
  },
  {
    name: 'two runs on one socket are told apart by run_id',
    async run({ connect }) {
      const socket = await connect('ws-alice')
      socket.send({ type: 'send', content: 'first question' })
      socket.send({ type: 'send', content: 'second question' })
      const runs = [await started(socket), await started(socket)]
      expect(runs[0]?.run_id).not.toBe(runs[1]?.run_id)
      const results = await Promise.all(runs.map((run) => readRun(socket, run.run_id)))
      const texts = results.map((result) => {
        expectContiguous(result.events, 1)
        expect(textOf(result.events)).toBe(turnEnd(result.events).text)
        return turnEnd(result.events).text
      })
      expect(texts.filter((t) => t.includes('first question'))).toHaveLength(1)
      expect(texts.filter((t) => t.includes('second question'))).toHaveLength(1)
      await socket.close()
    },
  },
]
