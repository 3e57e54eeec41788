import { ErrorFragment } from './error-fragment.tsx'
import { Layout } from './layout.tsx'

/** The full page a browser gets for an error: the same fragment, in the layout. */
export function ErrorPage(props: {
  status: number
  code: string
  message: string
  requestId: string
  retryAfterSeconds?: number
}) {
  return (
    <Layout title={`Error ${props.status}`}>
      <section class="panel" aria-labelledby="error-title">
        <h1 id="error-title">Error {props.status}</h1>
        <ErrorFragment
          code={props.code}
          message={props.message}
          requestId={props.requestId}
          {...(props.retryAfterSeconds === undefined
            ? {}
            : { retryAfterSeconds: props.retryAfterSeconds })}
        />
        <p>
          <a href="/">Back to Outpost</a>
        </p>
      </section>
    </Layout>
  )
}
