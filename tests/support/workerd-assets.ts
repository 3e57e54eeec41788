import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join, relative, sep } from 'node:path'

/** How the platform answers one static file: its path and the headers it sends. */
export interface AssetEntry {
  headers: Record<string, string>
}

const contentTypes: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'application/javascript',
  '.mjs': 'application/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
}

/** `_headers` rules: a URL pattern line, then indented `Name: value` lines. */
function parseHeadersFile(text: string): Array<{ pattern: RegExp; headers: [string, string][] }> {
  const rules: Array<{ pattern: RegExp; headers: [string, string][] }> = []
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.trim().startsWith('#')) continue
    if (!/^\s/.test(line)) {
      const source = line
        .trim()
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+'))
        .join('.*')
      rules.push({ pattern: new RegExp(`^${source}$`), headers: [] })
    } else {
      const at = line.indexOf(':')
      rules.at(-1)?.headers.push([line.slice(0, at).trim(), line.slice(at + 1).trim()])
    }
  }
  return rules
}

/**
 * The manifest Workers Assets would build from `directory`: every file but `_headers` and
 * `_redirects`, served with its content type, a strong ETag, the platform's default
 * `Cache-Control` and the `_headers` rules that match its path.
 */
export function assetManifest(directory: string): Record<string, AssetEntry> {
  let rules: ReturnType<typeof parseHeadersFile> = []
  try {
    rules = parseHeadersFile(readFileSync(join(directory, '_headers'), 'utf8'))
  } catch {
    // No _headers file: no extra headers.
  }
  const manifest: Record<string, AssetEntry> = {}
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) {
        walk(path)
        continue
      }
      const urlPath = `/${relative(directory, path).split(sep).join('/')}`
      if (urlPath === '/_headers' || urlPath === '/_redirects') continue
      const body = readFileSync(path)
      const headers: Record<string, string> = {
        'Content-Type': contentTypes[extname(name)] ?? 'application/octet-stream',
        ETag: `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`,
        'Cache-Control': 'public, max-age=0, must-revalidate',
      }
      for (const rule of rules) {
        if (rule.pattern.test(urlPath)) for (const [k, v] of rule.headers) headers[k] = v
      }
      manifest[urlPath] = { headers }
    }
  }
  walk(directory)
  return manifest
}

/**
 * The router in front of the Worker, as Workers Assets behaves by default: a GET or HEAD for
 * a path in the manifest is answered from the asset store (304 for a matching
 * If-None-Match) and never reaches the Worker; everything else goes to the Worker untouched.
 */
export const assetRouterSource = `
export default {
  async fetch(request, env) {
    const url = new URL(request.url)
    const asset = env.MANIFEST[url.pathname]
    if (asset && (request.method === 'GET' || request.method === 'HEAD')) {
      if (request.headers.get('If-None-Match') === asset.headers.ETag) {
        return new Response(null, { status: 304, headers: asset.headers })
      }
      const file = await env.ASSETS.fetch('http://assets' + url.pathname)
      if (file.ok) {
        return new Response(request.method === 'HEAD' ? null : file.body, { headers: asset.headers })
      }
    }
    return env.WORKER.fetch(request)
  },
}
`
