import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A running proxy: its loopback URL and how to stop it. */
export interface KeyProxy {
  url: string
  close(): Promise<void>
}

/**
 * A loopback HTTP proxy that adds `Authorization: Bearer <secret>` to every request and passes
 * everything else through untouched, `Host` and `Origin` included (the DNS rebinding checks
 * must see what the client sent), streaming both ways. For clients that send no credentials,
 * such as the MCP conformance suite, so `/mcp` itself stays behind its keys.
 */
export async function startKeyProxy(upstream: string, secret: string): Promise<KeyProxy> {
  const target = new URL(upstream)
  const server = createServer((incoming, outgoing) => {
    const forwarded = request(
      {
        hostname: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, authorization: `Bearer ${secret}` },
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers)
        response.pipe(outgoing)
      },
    )
    forwarded.on('error', (error) => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'Content-Type': 'text/plain' })
      outgoing.end(`proxy: ${error.message}`)
    })
    incoming.pipe(forwarded)
  })
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections()
        server.close(() => closed())
      }),
  }
}
