import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { type CallToolResult, McpError } from '@modelcontextprotocol/sdk/types.js'
import { expect } from 'vitest'

/** How a scenario reaches `/mcp`: over the network, or in process through `app.request`. */
export interface McpTarget {
  /** The `/mcp` URL (its host is what the server validates). */
  url: string
  /** Keys of two users, A and B. */
  keys: { a: string; b: string }
  fetch?: (url: string | URL, init?: RequestInit) => Promise<Response>
}

/** The SDK's own client, connected to `/mcp` with an API key. */
export async function connectMcp(target: McpTarget, secret: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(target.url), {
    requestInit: { headers: { Authorization: `Bearer ${secret}` } },
    ...(target.fetch ? { fetch: target.fetch } : {}),
  })
  const client = new Client({ name: 'outpost-test', version: '1.0.0' })
  await client.connect(transport)
  return client
}

const text = (result: CallToolResult) =>
  result.content.map((part) => (part.type === 'text' ? part.text : '')).join('')

/** One exchange with `/mcp` that every runtime must pass. */
export interface McpScenario {
  name: string
  run(target: McpTarget): Promise<void>
}

/** What an MCP client sees of Outpost, the same on every runtime and in process. */
export const mcpScenarios: McpScenario[] = [
  {
    name: 'MCP: the SDK client lists the built-in tools and chat, and calls the calculator',
    async run(target) {
      const client = await connectMcp(target, target.keys.a)
      try {
        expect(client.getServerVersion()?.name).toBe('outpost')
        const { tools } = await client.listTools()
        expect(tools.map((tool) => tool.name)).toEqual(
          expect.arrayContaining(['calculator', 'current_time', 'chat']),
        )
        const sum = (await client.callTool({
          name: 'calculator',
          arguments: { expression: '6 * 7' },
        })) as CallToolResult
        expect(sum.isError).toBeFalsy()
        expect(text(sum)).toContain('42')
        const bad = (await client.callTool({
          name: 'calculator',
          arguments: { expression: 7 },
        })) as CallToolResult
        expect(bad.isError).toBe(true)
        expect(text(bad)).toContain('invalid_input')
        const unknown = await client
          .callTool({ name: 'no_such_tool', arguments: {} })
          .catch((error: unknown) => error)
        expect(unknown).toBeInstanceOf(McpError)
        expect((unknown as McpError).code).toBe(-32602)
      } finally {
        await client.close()
      }
    },
  },
  {
    name: 'MCP: chat answers, continues its conversation, and the conversation is a resource',
    async run(target) {
      const client = await connectMcp(target, target.keys.a)
      try {
        const first = (await client.callTool({
          name: 'chat',
          arguments: { message: 'What is 2 + 3?' },
        })) as CallToolResult
        expect(first.isError, text(first)).toBeFalsy()
        expect(text(first)).toContain('5')
        const { conversation_id: conversationId } = first.structuredContent as {
          conversation_id: string
        }
        const second = (await client.callTool({
          name: 'chat',
          arguments: { message: 'Hello again', conversation_id: conversationId },
        })) as CallToolResult
        expect(second.isError, text(second)).toBeFalsy()
        expect(second.structuredContent).toMatchObject({ conversation_id: conversationId })

        const { resources } = await client.listResources()
        const uri = `outpost://conversations/${encodeURIComponent(conversationId)}`
        expect(resources.map((resource) => resource.uri)).toContain(uri)
        const read = await client.readResource({ uri })
        const body = JSON.parse(String((read.contents[0] as { text: string }).text)) as {
          id: string
          messages: { role: string; text: string }[]
        }
        expect(body.id).toBe(conversationId)
        expect(body.messages.map((message) => message.role)).toEqual([
          'user',
          'assistant',
          'user',
          'assistant',
        ])
        expect(body.messages[0]?.text).toBe('What is 2 + 3?')
      } finally {
        await client.close()
      }
    },
  },
  {
    name: "MCP: owner B neither lists nor reads owner A's conversation",
    async run(target) {
      const alice = await connectMcp(target, target.keys.a)
      const bob = await connectMcp(target, target.keys.b)
      try {
        const chat = (await alice.callTool({
          name: 'chat',
          arguments: { message: 'a secret of mine' },
        })) as CallToolResult
        const { conversation_id: id } = chat.structuredContent as { conversation_id: string }
        const uri = `outpost://conversations/${encodeURIComponent(id)}`
        const { resources } = await bob.listResources()
        expect(resources.map((resource) => resource.uri)).not.toContain(uri)
        const refused = await bob.readResource({ uri }).catch((error: unknown) => error)
        expect(refused).toBeInstanceOf(McpError)
        expect((refused as McpError).code).toBe(-32002)
        expect((refused as McpError).message).toBe('MCP error -32002: Resource not found')
        // Nor can B continue it through chat.
        const hijack = (await bob.callTool({
          name: 'chat',
          arguments: { message: 'let me in', conversation_id: id },
        })) as CallToolResult
        expect(hijack.isError).toBe(true)
        expect(text(hijack)).toContain('not_found')
      } finally {
        await Promise.all([alice.close(), bob.close()])
      }
    },
  },
  {
    name: 'MCP: a call without a valid API key is a 401, and the SDK client cannot connect',
    async run(target) {
      const doFetch = target.fetch ?? fetch
      const initialize = {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'anonymous', version: '1' },
        },
      }
      const credentials: Record<string, string>[] = [{}, { Authorization: 'Bearer op_unknown' }]
      for (const headers of credentials) {
        const response = await doFetch(target.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json, text/event-stream',
            ...headers,
          },
          body: JSON.stringify(initialize),
        })
        expect(response.status).toBe(401)
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/)
        await response.body?.cancel()
      }
      await expect(connectMcp(target, 'op_unknown')).rejects.toThrow()
    },
  },
]
