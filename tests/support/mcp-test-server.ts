import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import * as z from 'zod'

/** A request the server received: method and, for POSTs, the JSON-RPC methods in the body. */
export interface McpRequestRecord {
  httpMethod: string
  rpc: string[]
  headers: IncomingMessage['headers']
}

/** A running MCP server for tests (the SDK's `McpServer`, Streamable HTTP, with sessions). */
export interface McpTestServer {
  url: string
  /** Every HTTP request received, oldest first. */
  requests: McpRequestRecord[]
  /** The `_meta` of every tools/call, oldest first. */
  callMeta: unknown[]
  /** Adds a tool to every session; the SDK sends `notifications/tools/list_changed`. */
  addTool(name: string, description: string): void
  /** Closes the listening socket and every open connection: the server is down. */
  close(): Promise<void>
}

type Registration = (server: McpServer) => void

/**
 * Starts an MCP server on 127.0.0.1 with tools `echo` (returns its text), `slow` (waits `ms`),
 * `fail` (a tool error) and `delete_note` (marked destructive). Each session gets its own
 * `McpServer`, as the SDK requires; tools added later are registered on all of them.
 */
export async function startMcpTestServer(): Promise<McpTestServer> {
  const requests: McpRequestRecord[] = []
  const callMeta: unknown[] = []
  const sessions = new Map<
    string,
    { transport: StreamableHTTPServerTransport; server: McpServer }
  >()
  const registrations: Registration[] = [
    (server) =>
      server.registerTool(
        'echo',
        { description: 'Echoes the text back', inputSchema: { text: z.string().max(100) } },
        async ({ text }, extra) => {
          callMeta.push(extra._meta)
          return { content: [{ type: 'text', text: `echo: ${text}` }] }
        },
      ),
    (server) =>
      server.registerTool(
        'slow',
        { description: 'Waits', inputSchema: { ms: z.number().int().min(0) } },
        async ({ ms }) => {
          await new Promise((resolve) => setTimeout(resolve, ms))
          return { content: [{ type: 'text', text: `waited ${ms}` }] }
        },
      ),
    (server) =>
      server.registerTool('fail', { description: 'Always fails', inputSchema: {} }, async () => ({
        isError: true,
        content: [{ type: 'text', text: 'the note store is read-only' }],
      })),
    (server) =>
      server.registerTool(
        'delete_note',
        {
          description: 'Deletes a note',
          inputSchema: { id: z.string() },
          annotations: { destructiveHint: true },
        },
        async ({ id }) => ({ content: [{ type: 'text', text: `deleted ${id}` }] }),
      ),
  ]

  function newSession(): StreamableHTTPServerTransport {
    const server = new McpServer({ name: 'test-notes', version: '1.0.0' })
    for (const register of registrations) register(server)
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server })
      },
    })
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId)
    }
    void server.connect(transport)
    return transport
  }

  const sockets = new Set<Socket>()
  const http: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const body = text ? (JSON.parse(text) as unknown) : undefined
    const messages = Array.isArray(body) ? body : body ? [body] : []
    requests.push({
      httpMethod: req.method ?? 'GET',
      rpc: messages.map((m) => String((m as { method?: string }).method ?? 'response')),
      headers: req.headers,
    })
    const id = req.headers['mcp-session-id']
    const existing = typeof id === 'string' ? sessions.get(id)?.transport : undefined
    const transport = existing ?? (req.method === 'POST' && !id ? newSession() : undefined)
    if (!transport) {
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'no session' } }))
      return
    }
    await transport.handleRequest(req, res, body)
  })
  http.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const { port } = http.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    callMeta,
    addTool(name, description) {
      const register: Registration = (server) =>
        server.registerTool(name, { description, inputSchema: {} }, async () => ({
          content: [{ type: 'text', text: `${name} ran` }],
        }))
      registrations.push(register)
      for (const { server } of sessions.values()) register(server)
    },
    async close() {
      for (const { server } of sessions.values()) await server.close().catch(() => {})
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => http.close(() => resolve()))
    },
  }
}
