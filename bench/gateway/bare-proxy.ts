/**
 * The least a gateway can do, for `bench:gateway`'s floor: each request's body sent on to the
 * upstream and its answer streamed back as it comes, by the runtime's cheapest means (on Bun
 * its server and `fetch`; on Node `node:http` both ways, piped, over kept-alive connections:
 * Node's `fetch` and web streams alone added twice what Outpost adds). The time this adds to
 * the first byte is the price of one more hop on the machine (one more process to wake, twice,
 * and two more loopback writes); what a gateway adds beyond it is its own work.
 *   PORT=8788 UPSTREAM_URL=http://127.0.0.1:4010/v1/chat/completions bun bench/gateway/bare-proxy.ts
 *   (on Node: node --import tsx bench/gateway/bare-proxy.ts)
 */
import { Agent, createServer, request as httpRequest } from 'node:http'

const port = Number(process.env.PORT)
const upstream = new URL(process.env.UPSTREAM_URL as string)
const upstreamHeaders = { 'content-type': 'application/json', authorization: 'Bearer mock' }

const bun = (globalThis as { Bun?: typeof Bun }).Bun
if (bun) {
  bun.serve({
    port,
    hostname: '127.0.0.1',
    async fetch(request) {
      const answer = await fetch(upstream, {
        method: 'POST',
        headers: upstreamHeaders,
        body: await request.text(),
      })
      return new Response(answer.body, {
        status: answer.status,
        headers: { 'content-type': answer.headers.get('content-type') ?? 'application/json' },
      })
    },
  })
} else {
  const agent = new Agent({ keepAlive: true, maxSockets: 512 })
  createServer((incoming, outgoing) => {
    const call = httpRequest(
      upstream,
      { method: 'POST', headers: upstreamHeaders, agent },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, {
          'content-type': answer.headers['content-type'] ?? 'application/json',
        })
        answer.pipe(outgoing)
      },
    )
    call.on('error', () => outgoing.destroy())
    incoming.pipe(call)
  }).listen(port, '127.0.0.1')
}
console.log(`bare proxy listening on ${port}`)
