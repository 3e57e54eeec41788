import { Layout } from './layout.tsx'

/** The parts of an OpenAPI 3.1 document the docs page shows. */
export interface ApiDocument {
  info: { title: string; version: string; description?: string }
  paths?: Record<string, Record<string, ApiOperation | undefined> | undefined>
}

/** One operation of the document. */
export interface ApiOperation {
  summary?: string
  description?: string
  tags?: string[]
  requestBody?: { content?: Record<string, { schema?: unknown }> }
  responses?: Record<string, { description?: string }>
}

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const

/**
 * The API reference, rendered on the server from `/openapi.json` itself: every operation
 * with its summary, request schema and responses. No script and no third-party asset, so it
 * stays inside the CSP.
 */
export function ApiDocsPage(props: { document: ApiDocument; unsupported: readonly string[] }) {
  const { document } = props
  const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    methods.flatMap((method) => {
      const operation = item?.[method]
      return operation ? [{ path, method, operation }] : []
    }),
  )
  const tags = [...new Set(operations.map((o) => o.operation.tags?.[0] ?? 'Other'))]
  return (
    <Layout title="API">
      <article class="api-docs">
        <h1>
          {document.info.title} <small>{document.info.version}</small>
        </h1>
        {document.info.description && <p>{document.info.description}</p>}
        <p>
          Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).
        </p>
        {tags.map((tag) => (
          <section>
            <h2>{tag}</h2>
            {operations
              .filter((o) => (o.operation.tags?.[0] ?? 'Other') === tag)
              .map(({ path, method, operation }) => (
                <section class="api-operation" id={`${method}-${path}`}>
                  <h3>
                    <code>
                      {method.toUpperCase()} {path}
                    </code>
                  </h3>
                  {operation.summary && <p>{operation.summary}</p>}
                  {operation.description && <p>{operation.description}</p>}
                  {operation.requestBody?.content &&
                    Object.entries(operation.requestBody.content).map(([type, media]) => (
                      <details>
                        <summary>Request body ({type})</summary>
                        <pre>{JSON.stringify(media.schema, null, 2)}</pre>
                      </details>
                    ))}
                  <ul>
                    {Object.entries(operation.responses ?? {}).map(([status, response]) => (
                      <li>
                        <code>{status}</code> {response.description}
                      </li>
                    ))}
                  </ul>
                </section>
              ))}
          </section>
        ))}
        <section>
          <h2>Accepted but ignored</h2>
          <p>
            These parameters of the OpenAI and Anthropic APIs are accepted, so existing clients work
            unchanged, and have no effect here:
          </p>
          <ul>
            {props.unsupported.map((name) => (
              <li>
                <code>{name}</code>
              </li>
            ))}
          </ul>
        </section>
      </article>
    </Layout>
  )
}
