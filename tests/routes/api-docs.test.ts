import { beforeAll, describe, expect, it } from 'vitest'
import { type ApiApp, createApiApp } from '../support/api-app.ts'

let api: ApiApp
beforeAll(async () => {
  api = await createApiApp()
})

type Document = {
  openapi: string
  paths: Record<string, Record<string, { requestBody?: unknown; security?: unknown }>>
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> }
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document of every program route, from the validating schemas', async () => {
    const response = await api.fetch('/openapi.json')
    expect(response.status).toBe(200)
    const document = (await response.json()) as Document
    expect(document.openapi).toBe('3.1.0')
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/conversations',
      '/api/conversations/{id}',
      '/api/conversations/{id}/messages',
      '/api/conversations/{id}/messages/{message_id}/edit',
      '/api/memories',
      '/api/memories/{id}',
      '/api/runs/{id}',
      '/api/runs/{id}/approvals',
      '/api/runs/{id}/cancel',
      '/api/runs/{id}/events',
      '/api/usage',
      '/v1/chat/completions',
      '/v1/messages',
      '/v1/models',
    ])
    expect(Object.keys(document.paths['/api/conversations/{id}']!).sort()).toEqual([
      'delete',
      'get',
      'patch',
    ])
    // The same limits the validators enforce appear in the document.
    expect(document.components.schemas.SendMessage?.properties?.content).toMatchObject({
      type: 'string',
      minLength: 1,
      maxLength: 32000,
    })
    expect(document.components.schemas.ChatCompletionRequest?.properties?.messages).toMatchObject({
      type: 'array',
      minItems: 1,
    })
    expect(document.paths['/v1/chat/completions']?.post?.security).toEqual([{ bearer: [] }])
  })

  it('agrees with validation: a body the schema refuses is refused', async () => {
    const { secret } = await api.user('docs')
    const response = await api.fetch('/api/conversations', {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'x'.repeat(201) }),
    })
    expect(response.status).toBe(400)
  })
})

describe('GET /docs', () => {
  it('renders every operation on our own page, with nothing from a third party', async () => {
    const response = await api.fetch('/docs', { headers: { Accept: 'text/html' } })
    expect(response.status).toBe(200)
    const page = await response.text()
    for (const operation of [
      'GET /api/conversations',
      'POST /api/conversations/{id}/messages',
      'POST /api/conversations/{id}/messages/{message_id}/edit',
      'GET /api/runs/{id}/events',
      'POST /v1/chat/completions',
      'POST /v1/messages',
      'GET /v1/models',
    ]) {
      expect(page).toContain(operation)
    }
    expect(page).toContain('frequency_penalty')
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//)
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'")
  })
})
