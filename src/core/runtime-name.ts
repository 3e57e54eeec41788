/** The runtimes Outpost runs on. The entry file in `src/runtime/` says which one this is. */
export type RuntimeName = 'workers' | 'bun' | 'deno' | 'node'

/** Names people recognise, for pages and logs. */
export const runtimeLabels: Record<RuntimeName, string> = {
  workers: 'Cloudflare Workers (workerd)',
  bun: 'Bun',
  deno: 'Deno',
  node: 'Node.js',
}
