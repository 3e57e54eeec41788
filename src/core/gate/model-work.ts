import type { Regenerated } from '../chat/regenerate.ts'
import type { SentMessage } from '../chat/send-message.ts'
import type { StartedCompletionRun } from '../compat/start-completion-run.ts'
import type { ImageUpload } from '../images/image-upload.ts'
import type { ChatRequest } from '../models/chat-model.ts'

/**
 * The model work a surface asks for. The owner is the context's principal, never a field here.
 * - `message`: store a user message (in a new conversation without `conversationId`) and answer it;
 * - `regenerate`: answer a conversation's last user message again;
 * - `edit`: replace a conversation's last user message (and its answer) with new text, and
 *   answer that;
 * - `completion`: a stateless completion of the compatible endpoints (nothing stored but the
 *   run's events, for a short time).
 */
export type ModelWork =
  | {
      kind: 'message'
      conversationId?: string
      content: string
      model?: string
      /** Checked images attached to the message (they route it to the vision tier). */
      images?: readonly ImageUpload[]
    }
  | { kind: 'regenerate'; conversationId: string; model?: string }
  | { kind: 'edit'; conversationId: string; messageId: string; content: string; model?: string }
  | { kind: 'completion'; model?: string; request: ChatRequest }

/** What the gate gives back for each kind of work. */
export interface ModelWorkResults {
  message: SentMessage
  regenerate: Regenerated
  edit: SentMessage
  completion: StartedCompletionRun
}
