/** Between a server's name and its tool's: server names cannot contain it, tool names may. */
export const serverSeparator = '__'

/**
 * The agent-side name of a remote tool: `server__tool`, within what every provider accepts
 * (`[a-zA-Z0-9_-]{1,64}`). Other characters become `_`; a long name is cut at 64.
 */
export function remoteToolName(server: string, tool: string): string {
  return `${server}${serverSeparator}${tool.replace(/[^a-zA-Z0-9_-]/g, '_')}`.slice(0, 64)
}

/** The server a tool came from, by its name (`server__tool`); undefined for built-in tools. */
export function toolServer(name: string): string | undefined {
  const at = name.indexOf(serverSeparator)
  return at > 0 ? name.slice(0, at) : undefined
}
