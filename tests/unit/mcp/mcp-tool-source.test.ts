import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkReadiness } from '../../../src/core/health/check-readiness.ts'
import { createMcpToolSource, principalMetaKey } from '../../../src/core/mcp/mcp-tool-source.ts'
import { createInMemoryKvStore } from '../../../src/core/memory/in-memory-kv-store.ts'
import { createOutboundPolicy } from '../../../src/core/outbound/outbound-policy.ts'
import { createToolRegistry } from '../../../src/core/tools/registry.ts'
import { type McpTestServer, startMcpTestServer } from '../../support/mcp-test-server.ts'

let remote: McpTestServer
const allowLoopback = createOutboundPolicy(['127.0.0.1'])
const principal = { userId: 'alice', kind: 'api-key' as const }

beforeEach(async () => {
  remote = await startMcpTestServer()
})
afterEach(async () => {
  await remote.close()
})

function source(
  options: { timeoutMs?: number; allowedTools?: string[]; headers?: Record<string, string> } = {},
) {
  const kv = createInMemoryKvStore()
  return {
    kv,
    source: createMcpToolSource({
      server: { name: 'notes', url: remote.url, headers: options.headers ?? {}, ...options },
      kv,
      ttlMs: 60_000,
      defaultTimeoutMs: 5_000,
      outbound: allowLoopback,
    }),
  }
}

const until = async (condition: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await condition()); i++) await new Promise((r) => setTimeout(r, 10))
}

describe('remote MCP tools', () => {
  it('lists the tools namespaced, caches the list, and a warm listing makes no request', async () => {
    const { source: notes } = source({ headers: { authorization: 'Bearer s3cret' } })
    const tools = await notes.tools()
    expect(tools.map((t) => t.name).sort()).toEqual([
      'notes__delete_note',
      'notes__echo',
      'notes__fail',
      'notes__slow',
    ])
    expect(tools.every((t) => t.server === 'notes' && t.untrusted)).toBe(true)
    expect(tools.find((t) => t.name === 'notes__delete_note')?.destructive).toBe(true)
    expect(tools.find((t) => t.name === 'notes__echo')?.destructive).toBeUndefined()
    expect(remote.requests.every((r) => r.headers.authorization === 'Bearer s3cret')).toBe(true)
    const before = remote.requests.length
    const again = await notes.tools()
    expect(again).toBe(tools)
    expect(remote.requests.length).toBe(before)
    // A second process (a fresh source on the same KV store) reads the cache, not the server.
    await notes.close()
    await notes.tools()
    expect(remote.requests.filter((r) => r.rpc.includes('tools/list'))).toHaveLength(1)
  })

  it('keeps only the allowed tools', async () => {
    const { source: notes } = source({ allowedTools: ['echo'] })
    expect((await notes.tools()).map((t) => t.name)).toEqual(['notes__echo'])
    await notes.close()
  })

  it('refreshes the cached list on notifications/tools/list_changed', async () => {
    const { source: notes } = source()
    expect(await notes.tools()).toHaveLength(4)
    remote.addTool('archive', 'Archives everything')
    await until(async () => (await notes.tools()).length === 5)
    expect((await notes.tools()).map((t) => t.name)).toContain('notes__archive')
    await notes.close()
  })

  it('calls a tool for the principal, validates input, reports tool errors and timeouts', async () => {
    // Generous enough for a loaded machine, short against the slow call below.
    const { source: notes } = source({ timeoutMs: 1500 })
    const registry = createToolRegistry({ tools: await notes.tools(), principal })
    const echo = await registry.execute({ id: '1', name: 'notes__echo', input: { text: 'hi' } })
    expect(echo).toMatchObject({ ok: true, content: 'echo: hi', untrusted: true, server: 'notes' })
    expect(remote.callMeta.at(-1)).toMatchObject({ [principalMetaKey]: { userId: 'alice' } })

    const invalid = await registry.execute({ id: '2', name: 'notes__echo', input: { text: 7 } })
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(invalid.content).toContain('text')
    const calls = remote.requests.filter((r) => r.rpc.includes('tools/call')).length
    expect(calls).toBe(1)

    const failed = await registry.execute({ id: '3', name: 'notes__fail', input: {} })
    expect(failed).toMatchObject({ ok: false, error: { code: 'failed' } })
    expect(failed.content).toContain('read-only')

    const slow = await registry.execute({ id: '4', name: 'notes__slow', input: { ms: 5000 } })
    expect(slow).toMatchObject({ ok: false, error: { code: 'timeout' } })
    await notes.close()
  })

  it('a server going down: calls fail as tool errors, readiness says degraded, tools are left out', async () => {
    const { source: notes, kv } = source({ timeoutMs: 1000 })
    const registry = createToolRegistry({ tools: await notes.tools(), principal })
    expect(
      await registry.execute({ id: '1', name: 'notes__echo', input: { text: 'a' } }),
    ).toMatchObject({ ok: true })
    await remote.close()
    const down = await registry.execute({ id: '2', name: 'notes__echo', input: { text: 'b' } })
    expect(down).toMatchObject({ ok: false })
    const report = await checkReadiness([notes.readiness], { timeoutMs: 2000 })
    expect(report).toMatchObject({ status: 'ready', degraded: ['mcp:notes'] })
    expect(report.checks[0]).toMatchObject({ ok: false, degraded: true, kind: 'mcp-server' })
    // Once the cached list expires, a down server offers nothing instead of a timeout per turn.
    await kv.delete('mcp:tools:notes')
    expect(await notes.tools()).toEqual([])
    remote = await startMcpTestServer()
  })

  it('refuses a loopback server the allow-list does not name, without a request', async () => {
    const kv = createInMemoryKvStore()
    const notes = createMcpToolSource({
      server: { name: 'notes', url: remote.url, headers: {} },
      kv,
      ttlMs: 60_000,
      defaultTimeoutMs: 1000,
      outbound: createOutboundPolicy([]),
    })
    expect(await notes.tools()).toEqual([])
    const report = await checkReadiness([notes.readiness], { timeoutMs: 2000 })
    expect(report.checks[0]).toMatchObject({ ok: false, error: 'outbound_refused' })
    expect(report.status).toBe('ready')
    expect(remote.requests).toHaveLength(0)
  })
})
