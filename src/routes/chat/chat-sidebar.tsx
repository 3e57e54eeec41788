import { ConversationSidebar } from '../../views/conversation-sidebar.tsx'
import type { GuestContext } from './guest-context.ts'

/** How many recent conversations the sidebar lists; older ones are on the home page. */
const sidebarSize = 30

/** The sidebar of a chat page: the owner's recent conversations, the current one marked. */
export async function chatSidebar(
  guest: Pick<GuestContext, 'ownerId' | 'deps'>,
  options: { currentId?: string; query?: string; oob?: boolean } = {},
) {
  const recent = await guest.deps.history.listConversations(guest.ownerId, { limit: sidebarSize })
  return <ConversationSidebar conversations={recent.items} {...options} />
}
