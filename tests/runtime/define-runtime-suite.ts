import { mkdtempSync, rmSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runConformance } from '../support/mcp-conformance.ts'
import { startKeyProxy } from '../support/mcp-key-proxy.ts'
import { mcpScenarios } from '../support/mcp-scenarios.ts'
import {
  appRuntimeOf,
  type RuntimeId,
  type RuntimeProcess,
  startRuntime,
  waitUntilReady,
} from '../support/runtime-process.ts'
import { isRefused, openWebSocket } from '../support/ws-frame-socket.ts'
import { apiScenarios } from './api-scenarios.ts'
import { prepareApiKeys } from './prepare-api-key.ts'
import { rawExchange } from './raw-http.ts'
import { scenarios } from './scenarios.ts'
import { type WebSocketScenarioContext, webSocketScenarios } from './websocket-scenarios.ts'

const maxBodyBytes = 4096
const secret = 'sk-must-never-be-printed-0f9c'

/** The users the scenarios act as; each gets its own API key. */
const users = ['runtime', 'ws-alice', 'ws-bob', 'ws-shutdown'] as const
type User = (typeof users)[number]

/** `/chat` over a real socket, as a program connects: with the user's API key. */
function webSocketContext(baseUrl: string, keys: Record<User, string>): WebSocketScenarioContext {
  const url = `${baseUrl.replace(/^http/, 'ws')}/chat`
  const auth = (identity: string) => {
    const key = keys[identity as User]
    if (!key) throw new Error(`no API key prepared for ${identity}; add it to users`)
    return { Authorization: `Bearer ${key}` }
  }
  return {
    async connect(identity) {
      const opened = await openWebSocket(url, auth(identity))
      if (isRefused(opened)) throw new Error(`refused: ${opened.status} ${opened.body}`)
      return opened
    },
    connectFrom: (identity, origin) => openWebSocket(url, { ...auth(identity), Origin: origin }),
    ownOrigin: baseUrl,
    async connectAnonymously() {
      const opened = await openWebSocket(url)
      if (isRefused(opened)) return opened
      await opened.close()
      throw new Error('an anonymous upgrade was accepted')
    },
  }
}

/**
 * The runtime suite for one runtime: start it from its real entry file, run the shared
 * scenario list over HTTP, then check shutdown and configuration errors. A runtime that cannot
 * start fails every test with its log; it is never skipped.
 */
export function defineRuntimeSuite(runtime: RuntimeId) {
  // What the app reports itself as, and which platform behaviour to expect.
  const appRuntime = appRuntimeOf(runtime)
  describe(`${runtime} runtime`, () => {
    let proc: RuntimeProcess | undefined
    let startError: unknown
    const dataDir = mkdtempSync(join(tmpdir(), 'outpost-runtime-data-'))
    let keys = {} as Record<User, string>

    beforeAll(async () => {
      const prepared = await prepareApiKeys(runtime, dataDir, users)
      keys = prepared.secrets
      proc = await startRuntime(runtime, {
        MAX_BODY_BYTES: String(maxBodyBytes),
        // Slow enough to cancel and drop sockets mid-answer, fast enough to finish in ~3 s.
        DEMO_WORD_DELAY_MS: '40',
        ...prepared.vars,
      })
      try {
        const readyMs = await waitUntilReady(proc)
        console.log(`[runtime] ${runtime} ready in ${readyMs} ms`)
      } catch (error) {
        startError = error
      }
    }, 120_000)

    afterAll(async () => {
      await proc?.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }, 30_000)

    const started = () => {
      if (startError) throw startError
      if (!proc) throw new Error(`${runtime} did not start`)
      return proc
    }

    for (const scenario of scenarios) {
      it(scenario.name, async () => {
        const { baseUrl } = started()
        await scenario.run({
          fetch: (path, init) => fetch(baseUrl + path, init),
          runtime: appRuntime,
        })
      })
    }

    for (const scenario of webSocketScenarios) {
      it(`WebSocket /chat: ${scenario.name}`, async () => {
        await scenario.run(webSocketContext(started().baseUrl, keys))
      }, 60_000)
    }

    for (const scenario of apiScenarios) {
      it(scenario.name, async () => {
        const { baseUrl } = started()
        await scenario.run({ baseUrl, apiKey: keys.runtime, runtime: appRuntime })
      }, 30_000)
    }

    for (const scenario of mcpScenarios) {
      it(scenario.name, async () => {
        const { baseUrl } = started()
        // Users of other scenarios: each key costs a process at start-up, and nothing here
        // depends on what else they own.
        await scenario.run({ url: `${baseUrl}/mcp`, keys: { a: keys.runtime, b: keys['ws-bob'] } })
      }, 30_000)
    }

    it('passes the MCP conformance suite (server scenarios), but for its expected failures', async () => {
      // The suite sends no credentials: a loopback proxy adds a key, /mcp stays behind keys.
      const proxy = await startKeyProxy(started().baseUrl, keys.runtime)
      try {
        const report = await runConformance(`${proxy.url}/mcp`)
        console.log(
          `[conformance] ${runtime}: ${report.passedChecks} checks passed, ${report.failedChecks} failed; ` +
            `scenarios passed: ${report.passed.join(', ')}`,
        )
        expect(report.exitCode, report.output).toBe(0)
        expect(report.passed).toEqual(
          expect.arrayContaining([
            'server-initialize',
            'ping',
            'tools-list',
            'resources-list',
            'dns-rebinding-protection',
          ]),
        )
      } finally {
        await proxy.close()
      }
    }, 180_000)

    it('an oversized body announced by Content-Length is a JSON 413', async () => {
      const { baseUrl } = started()
      const host = new URL(baseUrl).host
      const response = await rawExchange(
        baseUrl,
        `POST /api/ping HTTP/1.1
Host: ${host}
Content-Type: application/json
Content-Length: ${maxBodyBytes * 2}
Connection: close`,
        // wrangler's local proxy, like Cloudflare's edge, reads the whole body before the
        // Worker runs, so workerd needs it; the other runtimes answer from the header alone.
        appRuntime === 'workers' ? ['x'.repeat(maxBodyBytes * 2)] : [],
      )
      expect(response.status).toBe(413)
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'payload_too_large' } })
    })

    it('an oversized chunked body (no Content-Length) is a JSON 413 once it passes the limit', async () => {
      const { baseUrl } = started()
      const host = new URL(baseUrl).host
      // Just past the limit, and never terminated: the server must answer from what it read.
      const payload = `{"message":"${'x'.repeat(maxBodyBytes + 512)}`
      const response = await rawExchange(
        baseUrl,
        `POST /api/ping HTTP/1.1
Host: ${host}
Content-Type: application/json
Transfer-Encoding: chunked
Connection: close`,
        [`${payload.length.toString(16)}\r\n${payload}\r\n`],
      )
      expect(response.status).toBe(413)
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'payload_too_large' } })
    })

    if (appRuntime !== 'workers') {
      it('SIGTERM lets an in-flight stream finish, closes sockets with 1001, then exits 0', async () => {
        const current = started()
        const socket = await webSocketContext(current.baseUrl, keys).connect('ws-shutdown')
        socket.send({ type: 'send', content: 'answer while the server stops' })
        await socket.next((frame) => frame.type === 'event')
        const response = await fetch(`${current.baseUrl}/api/ping/stream?count=4&interval_ms=300`)
        const reader = response.body!.getReader()
        await reader.read()
        current.signal('SIGTERM')
        expect(await socket.closed).toBe(1001)
        let text = ''
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          text += new TextDecoder().decode(value)
        }
        expect(text).toContain('id: 4')
        expect(text).toContain('event: done')
        expect(await current.exited).toBe(0)
        expect(current.log()).toContain('"message":"shutting down","signal":"SIGTERM"')
      }, 30_000)
    }
  })

  describe(`${runtime} runtime with an invalid configuration`, () => {
    const badBindings = {
      DATABASE_URL: `mysql://user:${secret}@db.example/app`,
      OPENAI_API_KEY: secret,
      UPSTASH_REDIS_REST_URL: 'https://redis.example',
    }

    if (appRuntime === 'workers') {
      it('answers config_invalid as JSON, naming each variable without its value', async () => {
        const proc = await startRuntime(runtime, badBindings)
        try {
          await waitUntilReady(proc)
          const response = await fetch(`${proc.baseUrl}/readyz`)
          expect(response.status).toBe(500)
          const text = await response.text()
          expect(text).not.toContain(secret)
          const body = JSON.parse(text) as { error: { code: string; message: string } }
          expect(body.error.code).toBe('config_invalid')
          expect(body.error.message).toContain('DATABASE_URL')
          expect(body.error.message).toContain('UPSTASH_REDIS_REST_TOKEN')
          expect(proc.log()).not.toContain(secret)
        } finally {
          await proc.stop()
        }
      }, 120_000)
    } else {
      it('refuses to start: exits 1 naming each variable without its value', async () => {
        const proc = await startRuntime(runtime, { ...badBindings, PORT: 'eighty' })
        const code = await proc.exited
        const log = proc.log()
        expect(code, log).toBe(1)
        expect(log).toContain('PORT: an integer from 1 to 65535')
        expect(log).toContain('DATABASE_URL')
        expect(log).toContain(
          'UPSTASH_REDIS_REST_TOKEN: required when UPSTASH_REDIS_REST_URL is set',
        )
        expect(log).not.toContain(secret)
      }, 60_000)

      it('a port already in use: one clear line, no stack trace, exit 1', async () => {
        const taken = createServer()
        const port = await new Promise<number>((bound) =>
          taken.listen(0, '127.0.0.1', () => bound((taken.address() as AddressInfo).port)),
        )
        const proc = await startRuntime(runtime, { PORT: String(port) })
        try {
          const code = await proc.exited
          const log = proc.log().trim()
          expect(code, log).toBe(1)
          expect(log).toBe(
            `outpost: 127.0.0.1:${port} is already in use (another Outpost?); stop it or set PORT`,
          )
        } finally {
          await proc.stop()
          await new Promise((closed) => taken.close(closed))
        }
      }, 60_000)
    }
  })
}
