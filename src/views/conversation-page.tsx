import type { Child } from 'hono/jsx'
import type { Conversation, Message } from '../core/domain/history-records.ts'
import type { ModelOptions } from './composer.tsx'
import { ConversationView } from './conversation-view.tsx'
import { Layout, type PageNotices } from './layout.tsx'

/** The full conversation page: the layout around the same view htmx swaps in. */
export function ConversationPage(props: {
  conversation: Conversation
  messages: readonly Message[]
  csrfToken: string
  notices?: PageNotices
  live?: Child
  sidebar?: Child
  models?: ModelOptions
  /** The edit page: the last user message shows as its edit form. */
  editing?: boolean
}) {
  return (
    <Layout
      title={props.conversation.title || 'Conversation'}
      notices={props.notices}
      sidebar={props.sidebar}
    >
      <ConversationView
        conversation={props.conversation}
        messages={props.messages}
        csrfToken={props.csrfToken}
        live={props.live}
        models={props.models}
        editing={props.editing}
      />
    </Layout>
  )
}
