/*
 * Every URL the app hands out, built in one place: pages, forms and API responses ask here
 * instead of writing `/c/…` by hand, so a route and its links cannot drift apart. Ids are
 * path-encoded.
 */

const segment = encodeURIComponent

/** The chat UI's URLs. */
export const chatUrls = {
  home: '/',
  /** The next page of the home page's conversation list. */
  homePage: (cursor: string) => `/?cursor=${segment(cursor)}`,
  /** Where a new conversation's first message is posted. */
  newConversation: '/c',
  conversation: (id: string) => `/c/${segment(id)}`,
  /** A message within its conversation's page. */
  message: (id: string, messageId: string) => `/c/${segment(id)}#m-${segment(messageId)}`,
  /** What Outpost remembers about the user; `?q=` searches. */
  memory: '/memory',
  /** Under a fixed segment, so no route has a parameter where another has a fixed name. */
  forgetMemory: (id: string) => `/memory/forget/${segment(id)}`,
  forgetAllMemories: '/memory/delete-all',
  messages: (id: string) => `/c/${segment(id)}/messages`,
  regenerate: (id: string) => `/c/${segment(id)}/regenerate`,
  /** An image attached to a message, by its position among the message's images. */
  image: (id: string, messageId: string, index: number) =>
    `/c/${segment(id)}/messages/${segment(messageId)}/images/${index}`,
  rename: (id: string) => `/c/${segment(id)}/rename`,
  /** Edit-and-resend of the conversation's last user message. */
  edit: (id: string) => `/c/${segment(id)}/edit`,
  /** The last user message again, in place of its edit form (htmx's Cancel). */
  editCancel: (id: string) => `/c/${segment(id)}/edit/cancel`,
  /** The conversation as a download: `md` (Markdown) or `json`. */
  export: (id: string, format: 'md' | 'json') => `/c/${segment(id)}/export.${format}`,
  /** Conversation search (titles and message text), a GET form. */
  search: '/search',
  searchFor: (query: string) => `/search?q=${encodeURIComponent(query)}`,
  delete: (id: string) => `/c/${segment(id)}/delete`,
  /** A run's page (streamed HTML), its event stream, its stop button and approval forms. */
  run: (id: string, runId: string) => {
    const page = `/c/${segment(id)}/runs/${segment(runId)}`
    return {
      page,
      events: `${page}/events`,
      cancel: `${page}/cancel`,
      approvals: `${page}/approvals`,
    }
  },
}

/** The REST API's URLs that responses point to. */
export const apiUrls = {
  run: (runId: string) => `/api/runs/${segment(runId)}`,
  runEvents: (runId: string) => `/api/runs/${segment(runId)}/events`,
  runApprovals: (runId: string) => `/api/runs/${segment(runId)}/approvals`,
  memories: '/api/memories',
  memory: (id: string) => `/api/memories/${segment(id)}`,
}

/** Where MCP clients connect (Streamable HTTP). */
export const mcpUrl = '/mcp'
