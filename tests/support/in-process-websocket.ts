import { defineWebSocketHelper, type UpgradeWebSocket, WSContext, type WSEvents } from 'hono/ws'
import type { ServerFrame } from '../../src/routes/socket/chat-socket-frames.ts'
import { createFrameQueue, encodeFrame, type FrameSocket } from './frame-socket.ts'

/**
 * A WebSocket upgrade for `app.request()`: the app's handlers run exactly as an adapter would
 * call them (onOpen unless `workersStyle`, then onMessage / onClose), and the test holds the
 * other end. `accept(response)` turns an upgraded response into that end.
 */
export function createInProcessWebSockets(options: { workersStyle?: boolean } = {}) {
  const waiting = new Map<string, WSEvents>()
  const upgradeWebSocket: UpgradeWebSocket = defineWebSocketHelper((c, events) => {
    if (c.req.header('Upgrade') !== 'websocket') return
    const id = crypto.randomUUID()
    waiting.set(id, events)
    return new Response(null, { status: 200, headers: { 'X-Test-Socket': id } })
  })

  function accept(response: Response): FrameSocket {
    const id = response.headers.get('X-Test-Socket') ?? ''
    const events = waiting.get(id)
    if (!events) throw new Error(`Not upgraded: ${response.status}`)
    waiting.delete(id)
    const frames = createFrameQueue()
    let state: 0 | 1 | 2 | 3 = 1
    let closeCode = 0
    let onClosed: (code: number) => void = () => {}
    const closed = new Promise<number>((resolve) => {
      onClosed = resolve
    })
    const finish = (code: number) => {
      if (state === 3) return
      state = 3
      closeCode = code
      events.onClose?.(Object.assign(new Event('close'), { code }) as CloseEvent, ws)
      onClosed(closeCode)
    }
    const ws: WSContext = new WSContext({
      send: (data) => frames.push(JSON.parse(String(data)) as ServerFrame),
      close: (code) => finish(code ?? 1005),
      get readyState() {
        return state
      },
    })
    if (!options.workersStyle) events.onOpen?.(new Event('open'), ws)
    return {
      send(frame) {
        const data = encodeFrame(frame)
        const payload = typeof data === 'string' ? data : data.slice().buffer
        events.onMessage?.(new MessageEvent('message', { data: payload }), ws)
      },
      next: frames.next,
      closed,
      async close() {
        finish(1000)
      },
    }
  }

  return { upgradeWebSocket, accept }
}
