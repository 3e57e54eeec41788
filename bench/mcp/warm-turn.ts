// The added latency of a warm chat turn when remote MCP servers are configured: the same REST
// turn (the demo model, in process, in-memory stores) against an app without MCP servers (the
// baseline) and one with a real MCP server on loopback, interleaved, after one warm-up turn
// each. A warm turn must make no request to the MCP server; the bench counts them too.
//   npx tsx bench/mcp/warm-turn.ts [turns]        (default 200 per app)
import { type ApiApp, createApiApp, readSse } from '../../tests/support/api-app.ts'
import { startMcpTestServer } from '../../tests/support/mcp-test-server.ts'

const turns = Number(process.argv[2] ?? 200)
const remote = await startMcpTestServer()
const second = await startMcpTestServer()

async function app(bindings: Record<string, string>) {
  const api = await createApiApp({ LOG_LEVEL: 'error', ...bindings })
  const user = await api.user('bench')
  return { api, user }
}

async function turn({ api, user }: { api: ApiApp; user: { secret: string } }): Promise<number> {
  const headers = { Authorization: `Bearer ${user.secret}`, 'Content-Type': 'application/json' }
  const started = performance.now()
  const created = await api.fetch('/api/conversations', { method: 'POST', headers, body: '{}' })
  const { id } = (await created.json()) as { id: string }
  const response = await api.fetch(`/api/conversations/${id}/messages`, {
    method: 'POST',
    headers: { ...headers, Accept: 'text/event-stream' },
    body: JSON.stringify({ content: 'hello there, how are you' }),
  })
  await readSse(response)
  return performance.now() - started
}

const baseline = await app({})
const withMcp = await app({
  MCP_SERVERS: JSON.stringify([
    { name: 'notes', url: remote.url },
    { name: 'files', url: second.url },
  ]),
  OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
})
await turn(baseline)
await turn(withMcp)
const requestsBefore = remote.requests.length + second.requests.length
const times = { baseline: [] as number[], mcp: [] as number[] }
for (let i = 0; i < turns; i++) {
  times.baseline.push(await turn(baseline))
  times.mcp.push(await turn(withMcp))
}
const requestsDuring = remote.requests.length + second.requests.length - requestsBefore

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
}
const row = (name: string, values: number[]) =>
  `${name.padEnd(28)} p50 ${quantile(values, 0.5).toFixed(2).padStart(7)} ms   p95 ${quantile(values, 0.95).toFixed(2).padStart(7)} ms`
console.log(`warm REST chat turns, demo model, in-memory stores, ${turns} each, interleaved`)
console.log(row('no MCP servers (baseline)', times.baseline))
console.log(row('2 MCP servers (8 tools)', times.mcp))
console.log(
  `ratio p50 ${(quantile(times.mcp, 0.5) / quantile(times.baseline, 0.5)).toFixed(3)}   added p50 ${(quantile(times.mcp, 0.5) - quantile(times.baseline, 0.5)).toFixed(2)} ms`,
)
console.log(`requests to the MCP servers during the measured turns: ${requestsDuring}`)
for (const source of withMcp.api.services.mcpServers) await source.close()
await remote.close()
await second.close()
process.exit(0)
