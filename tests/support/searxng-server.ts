import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A hit the fake search engine returns, in SearXNG's JSON shape. */
export interface SearxngHit {
  url: string
  title: string
  content: string
}

/** A local server speaking SearXNG's `/search?q=..&format=json` answer shape. */
export interface SearxngServer {
  url: string
  /** The queries received, oldest first. */
  queries: string[]
  close(): Promise<void>
}

/**
 * Starts it on 127.0.0.1. `/search` answers `hits(query)` as SearXNG does (`query`,
 * `number_of_results`, `results` with url/title/content/engine); without `format=json` it
 * answers 403, as a SearXNG instance with the JSON format disabled does.
 */
export async function startSearxngServer(
  hits: (query: string) => SearxngHit[],
): Promise<SearxngServer> {
  const queries: string[] = []
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname !== '/search') {
      res.writeHead(404).end()
      return
    }
    if (url.searchParams.get('format') !== 'json') {
      res.writeHead(403).end('Forbidden')
      return
    }
    const query = url.searchParams.get('q') ?? ''
    queries.push(query)
    const results = hits(query).map((hit) => ({ ...hit, engine: 'test', score: 1 }))
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({
        query,
        number_of_results: results.length,
        results,
        answers: [],
        suggestions: [],
      }),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
