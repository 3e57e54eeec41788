import * as z from 'zod'
import { DependencyError } from '../errors.ts'
import { type FetchLike, type OutboundPolicy, policedFetch } from '../outbound/outbound-policy.ts'
import { formatSearchSources, type SearchSource } from './search-sources.ts'
import { defineTool, type Tool } from './tool.ts'

/** Options of `createWebSearchTool`. */
export interface WebSearchOptions {
  /** The search API's base URL: a SearXNG instance, or Brave's API. */
  url: string
  api: 'searxng' | 'brave'
  apiKey?: string
  outbound: OutboundPolicy
  fetch?: FetchLike
  /** Hits shown to the model. Default 5. */
  maxResults?: number
}

const searxngAnswer = z.object({
  results: z.array(
    z.object({ url: z.string(), title: z.string().default(''), content: z.string().default('') }),
  ),
})
const braveAnswer = z.object({
  web: z
    .object({
      results: z.array(
        z.object({
          url: z.string(),
          title: z.string().default(''),
          description: z.string().default(''),
        }),
      ),
    })
    .default({ results: [] }),
})

/**
 * `web_search`: searches the web through a configured search API (SearXNG's JSON, or Brave's)
 * and returns titles, links and snippets as delimited, untrusted data the UI shows as sources.
 */
export function createWebSearchTool(options: WebSearchOptions): Tool {
  const fetcher = policedFetch(options.outbound, options.fetch)
  const max = options.maxResults ?? 5
  return defineTool({
    name: 'web_search',
    description:
      'Searches the web and returns the top results (title, url, snippet). Use it for recent events or facts you are unsure of, and cite the urls you use.',
    input: z.object({
      query: z.string().trim().min(1).max(400).describe('What to search for'),
    }),
    untrusted: true,
    async execute({ query }, { signal }) {
      const request =
        options.api === 'brave'
          ? new URL(
              `/res/v1/web/search?${new URLSearchParams({ q: query, count: String(max) })}`,
              options.url,
            )
          : new URL(
              `${new URL(options.url).pathname.replace(/\/$/, '')}/search?${new URLSearchParams({ q: query, format: 'json' })}`,
              options.url,
            )
      const response = await fetcher(request, {
        signal,
        redirect: 'error',
        headers: {
          accept: 'application/json',
          ...(options.apiKey ? { 'x-subscription-token': options.apiKey } : {}),
        },
      }).catch((cause: unknown) => {
        if (signal.aborted) throw cause
        throw new DependencyError('search_failed', 'The search service did not answer.', { cause })
      })
      if (!response.ok) {
        await response.body?.cancel()
        throw new DependencyError(
          'search_failed',
          `The search service answered ${response.status}.`,
        )
      }
      const body: unknown = await response.json().catch(() => undefined)
      const sources: SearchSource[] = []
      if (options.api === 'brave') {
        const parsed = braveAnswer.safeParse(body)
        if (!parsed.success) throw badAnswer()
        for (const hit of parsed.data.web.results)
          sources.push({ title: hit.title, url: hit.url, snippet: hit.description })
      } else {
        const parsed = searxngAnswer.safeParse(body)
        if (!parsed.success) throw badAnswer()
        for (const hit of parsed.data.results)
          sources.push({ title: hit.title, url: hit.url, snippet: hit.content })
      }
      const shown = sources
        .filter((s) => /^https?:\/\//i.test(s.url))
        .slice(0, max)
        .map((s) => ({
          title: s.title.slice(0, 300),
          url: s.url.slice(0, 2000),
          snippet: s.snippet.slice(0, 600),
        }))
      return formatSearchSources(query, shown)
    },
  })
}

function badAnswer(): DependencyError {
  return new DependencyError('search_failed', 'The search service gave an answer of another shape.')
}
