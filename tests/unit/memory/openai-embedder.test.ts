import { createServer, type IncomingMessage, type Server } from 'node:http'
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DependencyError } from '../../../src/core/errors.ts'
import { createOpenAIEmbedder } from '../../../src/core/memory/openai-embedder.ts'

interface Seen {
  auth: string | undefined
  body: { model: string; input: string | string[]; encoding_format?: string; dimensions?: number }
}

/** A deterministic, non-unit vector per text, so the test can check normalisation. */
const fakeVector = (text: string, dimension: number) =>
  Array.from({ length: dimension }, (_, i) => ((text.codePointAt(i % text.length) ?? 1) % 7) + i)

function readJson(req: IncomingMessage): Promise<Seen['body']> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
  })
}

describe('OpenAI embedder against a wire-faithful /v1/embeddings server', () => {
  let server: Server
  let baseURL: string
  const seen: Seen[] = []
  let mode: 'ok' | 'status-401' | 'status-500' | 'status-429' | 'wrong-dimension' = 'ok'

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const body = await readJson(req)
      seen.push({ auth: req.headers.authorization, body })
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(payload))
      }
      if (req.url !== '/v1/embeddings' || req.method !== 'POST') return send(404, {})
      if (mode.startsWith('status-')) {
        const status = Number(mode.slice(7))
        return send(status, { error: { message: `failure ${status}`, type: 'x', code: null } })
      }
      const inputs = Array.isArray(body.input) ? body.input : [body.input]
      const dimension = mode === 'wrong-dimension' ? 3 : 4
      const data = inputs.map((text, index) => {
        const vector = fakeVector(text, dimension)
        const embedding =
          body.encoding_format === 'base64'
            ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
            : vector
        return { object: 'embedding', index, embedding }
      })
      // Real servers may answer out of order; `index` is what ties answers to inputs.
      data.reverse()
      send(200, {
        object: 'list',
        data,
        model: body.model,
        usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    baseURL = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  beforeEach(() => {
    seen.length = 0
    mode = 'ok'
  })

  const client = () => new OpenAI({ apiKey: 'sk-test', baseURL, maxRetries: 0 })
  const embedder = (batchSize = 128) =>
    createOpenAIEmbedder({
      client: client(),
      model: 'text-embedding-test',
      dimension: 4,
      batchSize,
    })

  it('embeds in order, batched, as unit vectors, asking for floats', async () => {
    const texts = ['alpha', 'beta', 'gamma', 'delta', 'epsilon']
    const vectors = await embedder(2).embed(texts)
    expect(seen.map((s) => s.body.input)).toEqual([
      ['alpha', 'beta'],
      ['gamma', 'delta'],
      ['epsilon'],
    ])
    expect(seen[0]?.body.model).toBe('text-embedding-test')
    expect(seen[0]?.body.encoding_format).toBe('float')
    expect(seen[0]?.body).not.toHaveProperty('dimensions')
    expect(seen[0]?.auth).toBe('Bearer sk-test')
    texts.forEach((text, i) => {
      const raw = fakeVector(text, 4)
      const norm = Math.hypot(...raw)
      expect(vectors[i]).toEqual(raw.map((x) => x / norm))
    })
    expect(await embedder().embed([])).toEqual([])
  })

  it('sends dimensions only when asked to', async () => {
    const e = createOpenAIEmbedder({
      client: client(),
      model: 'text-embedding-3-small',
      dimension: 4,
      requestDimension: true,
    })
    await e.embed(['x'])
    expect(seen[0]?.body.dimensions).toBe(4)
  })

  it.each([
    ['status-401', false, 'embedder_failed'],
    ['status-429', true, 'embedder_unavailable'],
    ['status-500', true, 'embedder_unavailable'],
    ['wrong-dimension', false, 'embedder_dimension_mismatch'],
  ] as const)('maps %s to a typed error (retryable %s)', async (failureMode, retryable, code) => {
    mode = failureMode
    const error = await embedder()
      .embed(['x'])
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DependencyError)
    expect((error as DependencyError).retryable).toBe(retryable)
    expect((error as DependencyError).code).toBe(code)
  })

  it('is retryable when the server is unreachable', async () => {
    const dead = new OpenAI({ apiKey: 'k', baseURL: 'http://127.0.0.1:1/v1', maxRetries: 0 })
    const e = createOpenAIEmbedder({ client: dead, model: 'm', dimension: 4 })
    const error = await e.embed(['x']).catch((err: unknown) => err)
    expect(error).toBeInstanceOf(DependencyError)
    expect((error as DependencyError).retryable).toBe(true)
  })
})
