import { chatUrls } from '../urls.ts'
import { CsrfInput } from './csrf-input.tsx'

/** What the composer's model picker offers besides `auto`: tiers and configured models. */
export interface ModelOptions {
  tiers: readonly string[]
  /** `provider:model` ids from the catalog. */
  models: readonly string[]
}

/**
 * The message form. A plain POST without JavaScript (answered with a redirect to the run page
 * that streams the answer); with htmx the same form posts in place and the answer streams
 * into the conversation. `oob` re-sends it (emptied) out of band after a send.
 */
export function Composer(props: {
  csrfToken: string
  conversationId?: string
  oob?: boolean
  /** Put the caret back in the input (htmx responses, after a send replaced it). */
  focus?: boolean
  /** Where htmx puts the response: the message list, or all of `main` for a new chat. */
  target: '#messages' | '#main'
  /** The model picker's choices; without them the router always decides. */
  models?: ModelOptions
  /** The picker's current choice (kept after a send). */
  model?: string
}) {
  const action = props.conversationId
    ? chatUrls.messages(props.conversationId)
    : chatUrls.newConversation
  return (
    <form
      id="composer"
      class="composer"
      method="post"
      action={action}
      enctype="multipart/form-data"
      hx-post={action}
      hx-target={props.target}
      hx-swap={props.target === '#main' ? 'innerHTML' : 'beforeend'}
      hx-disable="find button"
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      <CsrfInput token={props.csrfToken} />
      <label for="composer-input">
        {props.conversationId ? 'Your message' : 'Start a new chat'}
      </label>
      <textarea
        id="composer-input"
        name="content"
        rows={3}
        required
        maxlength={32000}
        placeholder="Ask anything…"
        autofocus={props.focus}
      />
      <div class="composer-actions">
        <label class="composer-attach">
          Attach images
          <input
            type="file"
            name="image"
            accept="image/png,image/jpeg,image/webp,image/gif"
            multiple
          />
        </label>
        {props.models ? <ModelPicker options={props.models} selected={props.model} /> : null}
        <button type="submit">Send</button>
      </div>
    </form>
  )
}

/** Which model answers: `auto` (the router decides), a tier, or one configured model. */
function ModelPicker(props: { options: ModelOptions; selected?: string }) {
  const selected = props.selected || 'auto'
  return (
    <span class="model-picker">
      <label for="composer-model">Model</label>
      <select id="composer-model" name="model">
        <option value="auto" selected={selected === 'auto'}>
          Auto
        </option>
        <optgroup label="Tier">
          {props.options.tiers.map((tier) => (
            <option value={tier} selected={selected === tier}>
              {tier}
            </option>
          ))}
        </optgroup>
        {props.options.models.length > 0 ? (
          <optgroup label="Model">
            {props.options.models.map((model) => (
              <option value={model} selected={selected === model}>
                {model}
              </option>
            ))}
          </optgroup>
        ) : null}
      </select>
    </span>
  )
}
