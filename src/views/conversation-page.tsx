import type { Child } from 'hono/jsx'
import type { Conversation, Message } from '../core/domain/history-records.ts'
import { ConversationView } from './conversation-view.tsx'
import { Layout, type PageNotices } from './layout.tsx'

/** The full conversation page: the layout around the same view htmx swaps in. */
export function ConversationPage(props: {
  conversation: Conversation
  messages: readonly Message[]
  csrfToken: string
  notices?: PageNotices
  live?: Child
}) {
  return (
    <Layout title={props.conversation.title || 'Conversation'} notices={props.notices}>
      <ConversationView
        conversation={props.conversation}
        messages={props.messages}
        csrfToken={props.csrfToken}
        live={props.live}
      />
    </Layout>
  )
}
