import { createServer as createHttpServer } from 'node:http'
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net'

/**
 * Stand-ins for a backend that is down or that answers garbage, for the "errors are typed"
 * part of the store contracts. All on 127.0.0.1, ephemeral ports, closed by `close`.
 */
export interface BrokenServer {
  port: number
  close(): Promise<void>
}

async function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return (server.address() as AddressInfo).port
}

/** A port on which nothing listens (bound, then released), so connecting is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  const port = await listen(server)
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** A TCP server that answers anything with bytes that are no PostgreSQL message. */
export async function startGarbageTcpServer(): Promise<BrokenServer> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    socket.once('data', () => socket.write(Buffer.from('~\0\0\0\x08garbage!\x7f\xff', 'latin1')))
  })
  const port = await listen(server)
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** An HTTP server that answers every request 200 with a body that is not JSON. */
export async function startGarbageHttpServer(): Promise<BrokenServer> {
  const server = createHttpServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end('<html>this is not the API you are looking for')
  })
  const port = await listen(server)
  return {
    port,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
