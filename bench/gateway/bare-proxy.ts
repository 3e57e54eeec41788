/**
 * The least a gateway can do, for `bench:gateway`'s floor: each request's body sent on to the
 * upstream with the runtime's own `fetch`, and its answer streamed back as it comes, served by
 * the server Outpost uses on that runtime. The time this adds to the first byte is the price of
 * one more hop on the machine (one more process to wake, twice, and two more loopback writes),
 * which no gateway goes below; what a gateway adds beyond it is its own work.
 *   PORT=8788 UPSTREAM_URL=http://127.0.0.1:4010/v1/chat/completions bun bench/gateway/bare-proxy.ts
 *   (on Node: node --import tsx bench/gateway/bare-proxy.ts)
 */
import { serve } from '@hono/node-server'

const port = Number(process.env.PORT)
const upstream = process.env.UPSTREAM_URL as string

async function forward(request: Request): Promise<Response> {
  const answer = await fetch(upstream, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer mock' },
    body: await request.text(),
  })
  return new Response(answer.body, {
    status: answer.status,
    headers: { 'content-type': answer.headers.get('content-type') ?? 'application/json' },
  })
}

const bun = (globalThis as { Bun?: typeof Bun }).Bun
if (bun) bun.serve({ port, hostname: '127.0.0.1', fetch: forward })
else serve({ port, hostname: '127.0.0.1', fetch: forward })
console.log(`bare proxy listening on ${port}`)
