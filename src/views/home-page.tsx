import type { Child } from 'hono/jsx'
import type { Conversation } from '../core/domain/history-records.ts'
import type { StoreDescription } from '../core/memory/store-description.ts'
import { type RuntimeName, runtimeLabels } from '../core/runtime-name.ts'
import { Composer, type ModelOptions } from './composer.tsx'
import { ConversationList } from './conversation-list.tsx'
import { Layout, type PageNotices } from './layout.tsx'

/**
 * The landing page: a composer for a new chat, the visitor's conversations, and what is
 * running here and where its data lives.
 */
export function HomePage(props: {
  runtime: RuntimeName
  stores: readonly StoreDescription[]
  conversations?: readonly Conversation[]
  nextCursor?: string
  csrfToken?: string
  notices?: PageNotices
  models?: ModelOptions
  sidebar?: Child
}) {
  return (
    <Layout title="Outpost" notices={props.notices} sidebar={props.sidebar}>
      <section class="panel" aria-labelledby="home-title">
        <h1 id="home-title">Outpost</h1>
        <p>
          An edge-first AI chat agent. This instance runs on{' '}
          <strong data-runtime={props.runtime}>{runtimeLabels[props.runtime]}</strong>.
        </p>
        {props.csrfToken ? (
          <Composer csrfToken={props.csrfToken} target="#main" models={props.models} />
        ) : null}
        <p>
          <a href="/usage">Your usage</a>: tokens and cost per day and model.
        </p>
        <p>
          <a href="/memory">Your memory</a>: what Outpost remembers about you, and where from.
        </p>
      </section>
      {props.conversations ? (
        <ConversationList conversations={props.conversations} nextCursor={props.nextCursor} />
      ) : null}
      <details class="about">
        <summary>Stores in use</summary>
        <StoreTable stores={props.stores} />
      </details>
    </Layout>
  )
}

/** Which backend serves each kind of memory; embedded defaults are labelled as such. */
export function StoreTable(props: { stores: readonly StoreDescription[] }) {
  return (
    <table class="stores">
      <caption>Stores in use</caption>
      <thead>
        <tr>
          <th scope="col">Concern</th>
          <th scope="col">Backend</th>
          <th scope="col">Notes</th>
        </tr>
      </thead>
      <tbody>
        {props.stores.map((store) => (
          <tr data-concern={store.concern}>
            <th scope="row">{store.concern}</th>
            <td>
              <code>{store.backend}</code>
              {store.embedded ? ' (embedded default)' : ''}
            </td>
            <td>{store.note ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
