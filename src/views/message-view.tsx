import { raw } from 'hono/html'
import type { RecalledMemoryRef } from '../core/agent/agent-event.ts'
import type { Message, TokenUsage } from '../core/domain/history-records.ts'
import { toolServer } from '../core/mcp/remote-tool-name.ts'
import { parseSearchSources } from '../core/tools/search-sources.ts'
import { GuardNotice, type GuardNoticeData, guardsIn } from './guard-notice.tsx'
import { RecalledMemories, recalledIn } from './recalled-memories.tsx'
import { renderMarkdown } from './render-markdown.ts'
import { storedThinking, ThinkingSection } from './thinking-section.tsx'

/** A tool call and, once it came, its result, as a collapsible card. */
export interface ToolCardData {
  id: string
  name: string
  input: unknown
  result?: { ok: boolean; content: string }
  /** The injection guard's verdict on the result, when it was not `allow`. */
  guard?: GuardNoticeData
}

/** The visible text of a stored message. */
export function textOf(message: Pick<Message, 'content'>): string {
  return message.content
    .map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .join('\n')
}

/**
 * A user's message, as plain text (never markdown: it is shown as typed), with its images and
 * the injection guard's badge when it flagged the message.
 */
export function UserMessage(props: {
  text: string
  images?: unknown
  guard?: GuardNoticeData | undefined
  id?: string
  /** Controls under the message (Edit, on the last one). */
  actions?: unknown
}) {
  return (
    <article class="message user" aria-label="You" data-guard={props.guard?.verdict} id={props.id}>
      <p class="message-text">{props.text}</p>
      {props.images ?? null}
      {props.guard ? <GuardNotice guard={props.guard} /> : null}
      {props.actions ?? null}
    </article>
  )
}

/** Model output as sanitized HTML. */
export function MarkdownBody(props: { text: string }) {
  // The only raw() in the views: renderMarkdown escapes model text (markdown-it, html: false)
  // and sanitizes the result with an allowlist, so no model-written HTML reaches the page.
  return <div class="markdown">{raw(renderMarkdown(props.text))}</div>
}

/**
 * Which model answered, said briefly ("fast · gpt-4o-mini"); the router's reason is there on
 * demand (a disclosure, and the badge's tooltip), never in the way of the answer.
 */
export function ModelBadge(props: {
  model?: string
  tier?: string
  reason?: string
  demo?: boolean
  id?: string
  oob?: boolean
}) {
  const demo = props.demo || props.model?.startsWith('demo:')
  const label = [props.tier, props.model ?? (props.tier ? undefined : 'choosing a model…')]
    .filter(Boolean)
    .join(' · ')
  return (
    <div
      class="badge"
      id={props.id}
      hx-swap-oob={props.oob ? 'true' : undefined}
      title={props.reason}
    >
      <span class="badge-model">{label}</span>
      {demo ? <span class="badge-demo"> (demo model)</span> : null}
      {props.reason ? (
        <details class="badge-why">
          <summary>
            <span class="visually-hidden">Why this model</span>
            <span aria-hidden="true">?</span>
          </summary>
          <span class="badge-reason">{props.reason}</span>
        </details>
      ) : null}
    </div>
  )
}

/**
 * A tool call and its result, naming the MCP server a remote tool came from. A web search's
 * results are listed under the card as cited sources (plain links: no JavaScript needed).
 */
export function ToolCard(props: { tool: ToolCardData; id?: string; oob?: boolean }) {
  const { tool } = props
  const state = !tool.result ? 'running' : tool.result.ok ? 'ok' : 'failed'
  const server = toolServer(tool.name)
  const sources =
    tool.name === 'web_search' && tool.result?.ok ? parseSearchSources(tool.result.content) : []
  return (
    <div class="tool" id={props.id} hx-swap-oob={props.oob ? 'true' : undefined}>
      <ToolDetails tool={tool} state={state} server={server} />
      {sources.length > 0 ? (
        <nav class="tool-sources" aria-label="Sources">
          <p class="tool-label">Sources</p>
          <ol>
            {sources.map((source) => (
              <li>
                <a href={source.url} rel="noopener noreferrer nofollow" target="_blank">
                  {source.title || source.url}
                </a>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
    </div>
  )
}

function ToolDetails(props: { tool: ToolCardData; state: string; server?: string }) {
  const { tool, state, server } = props
  return (
    <details class="tool-card" data-tool-state={state} data-tool-server={server}>
      <summary>
        Tool <code>{server ? tool.name.slice(server.length + 2) : tool.name}</code>
        {server ? (
          <span class="tool-server">
            {' '}
            from MCP server <code>{server}</code>
          </span>
        ) : null}{' '}
        <span class="tool-state">{state}</span>
        {tool.guard ? (
          <span class="tool-guard" data-guard={tool.guard.verdict}>
            {' '}
            · {tool.guard.verdict === 'block' ? 'blocked' : 'flagged'}
          </span>
        ) : null}
      </summary>
      {tool.guard ? <GuardNotice guard={tool.guard} /> : null}
      <p class="tool-label">Input</p>
      <pre>{JSON.stringify(tool.input, null, 2)}</pre>
      {tool.result ? (
        <>
          <p class="tool-label">Result</p>
          <pre>{tool.result.content}</pre>
        </>
      ) : null}
    </details>
  )
}

/** Tokens and cost, shown on demand. */
export function UsageDetails(props: { usage?: TokenUsage }) {
  if (!props.usage) return null
  const { inputTokens, outputTokens, costUsd } = props.usage
  return (
    <details class="usage">
      <summary>Usage</summary>
      <p>
        {inputTokens} input tokens, {outputTokens} output tokens
        {costUsd !== undefined ? `, $${costUsd.toFixed(6)}` : ', cost unknown'}
      </p>
    </details>
  )
}

/** A finished assistant answer: badge, text, tool cards, usage. */
export function AssistantMessage(props: {
  id?: string
  text: string
  /** The model's reasoning, shown apart from the answer; '' or absent when it sent none. */
  thinking?: string
  model?: string
  tier?: string
  reason?: string
  tools?: readonly ToolCardData[]
  usage?: TokenUsage
  status?: string
  error?: string
  /** The injection guard's verdicts on memories recalled for this answer. */
  guards?: readonly GuardNoticeData[]
  /** Swapped out of band over the live answer it ends (htmx). */
  oob?: boolean
  /** What memory recalled for this answer. */
  recalled?: readonly RecalledMemoryRef[]
}) {
  return (
    <article
      class="message assistant final"
      id={props.id}
      data-status={props.status ?? 'done'}
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      <ModelBadge model={props.model} tier={props.tier} reason={props.reason} />
      {(props.guards ?? []).map((guard) => (
        <GuardNotice guard={guard} />
      ))}
      {props.thinking ? <ThinkingSection text={props.thinking} /> : null}
      <RecalledMemories memories={props.recalled ?? []} />
      {(props.tools ?? []).map((tool) => (
        <ToolCard tool={tool} />
      ))}
      {props.text ? <MarkdownBody text={props.text} /> : null}
      {props.status === 'cancelled' ? <p class="notice">Stopped before the end.</p> : null}
      {props.error ? (
        <p class="notice notice-error" role="alert">
          {props.error}
        </p>
      ) : null}
      <UsageDetails usage={props.usage} />
    </article>
  )
}

/** A stored assistant message with its recorded tool calls and results. */
export function StoredAssistantMessage(props: { message: Message }) {
  const { message } = props
  const results = new Map((message.toolResults ?? []).map((r) => [r.toolCallId, r]))
  const guards = guardsIn(message.content)
  const toolGuards = new Map(guards.flatMap((g) => (g.toolCallId ? [[g.toolCallId, g]] : [])))
  const tools: ToolCardData[] = (message.toolCalls ?? []).map((call) => {
    const result = results.get(call.id)
    const guard = toolGuards.get(call.id)
    return {
      id: call.id,
      name: call.name,
      input: call.input,
      ...(guard ? { guard } : {}),
      ...(result
        ? {
            result: {
              ok: !result.isError,
              content:
                typeof result.output === 'string' ? result.output : JSON.stringify(result.output),
            },
          }
        : {}),
    }
  })
  return (
    <AssistantMessage
      id={`m-${message.id}`}
      text={textOf(message)}
      thinking={storedThinking(message)}
      model={message.model}
      tier={routePart(message)?.tier}
      reason={routePart(message)?.reason}
      tools={tools}
      usage={message.usage}
      guards={guards.filter((guard) => guard.path === 'recalled-memory')}
      recalled={recalledIn(message.content)}
    />
  )
}

/** The router's tier and reason recorded with an answer (a `route` content part), if any. */
function routePart(message: Message): { tier?: string; reason?: string } | undefined {
  const part = message.content.find((p) => p.type === 'route')
  if (!part) return undefined
  return {
    tier: typeof part.tier === 'string' ? part.tier : undefined,
    reason: typeof part.reason === 'string' ? part.reason : undefined,
  }
}
