// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'

/**
 * What the model is shown of an MCP tool result: its text parts, then its structured content
 * when there is no text; other parts (images, audio, resources) are named, not inlined.
 */
export function toolCallContent(result: CallToolResult): string {
  const parts = result.content.map((part) => {
    switch (part.type) {
      case 'text':
        return part.text
      case 'resource_link':
        return `[resource ${part.uri}]`
      case 'resource':
        return 'text' in part.resource ? part.resource.text : `[resource ${part.resource.uri}]`
      default:
        return `[${part.type} content]`
    }
  })
  if (parts.length === 0 && result.structuredContent)
    return JSON.stringify(result.structuredContent)
  return parts.join('\n')
}
