import { describe, expect, it } from 'vitest'
import { edgePreflight } from '../../scripts/edge-preflight.ts'
import { parseEnvFile } from '../../scripts/env-file.ts'

const edge = {
  UPSTASH_REDIS_REST_URL: 'https://eu1-example.upstash.io',
  UPSTASH_REDIS_REST_TOKEN: 'redis-token',
  UPSTASH_VECTOR_REST_URL: 'https://eu1-example-vector.upstash.io',
  UPSTASH_VECTOR_REST_TOKEN: 'vector-token',
  DATABASE_URL: 'postgresql://app:secret@ep-example.eu-central-1.aws.neon.tech/neondb',
  SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
  ANTHROPIC_API_KEY: 'sk-ant-example',
}
const settingsOf = (report: ReturnType<typeof edgePreflight>) =>
  report.ephemeral.flatMap((state) => state.settings)

describe('edgePreflight', () => {
  it('finds nothing to say about a complete edge configuration', () => {
    expect(edgePreflight(edge)).toEqual({ problems: [], ephemeral: [], notes: [] })
  })

  it('names each store that would live only inside an isolate, and why', () => {
    const report = edgePreflight({})
    expect(settingsOf(report)).toEqual([
      'UPSTASH_REDIS_REST_URL',
      'UPSTASH_REDIS_REST_TOKEN',
      'DATABASE_URL',
      'UPSTASH_VECTOR_REST_URL',
      'UPSTASH_VECTOR_REST_TOKEN',
      'SESSION_SECRET',
    ])
    expect(report.ephemeral[1]?.consequence).toMatch(/lost whenever the isolate is recycled/)
    expect(report.notes.join(' ')).toMatch(/demo model/)
  })

  it('reports invalid values by name only, and judges the stores on the valid rest', () => {
    const report = edgePreflight({
      ...edge,
      DATABASE_URL: 'mysql://app:hunter2@db.example/app',
      UPSTASH_VECTOR_REST_TOKEN: '',
    })
    expect(report.problems.map((p) => p.variable)).toEqual([
      'DATABASE_URL',
      'UPSTASH_VECTOR_REST_TOKEN',
    ])
    expect(JSON.stringify(report)).not.toContain('hunter2')
    expect(settingsOf(report)).toEqual([
      'DATABASE_URL',
      'UPSTASH_VECTOR_REST_URL',
      'UPSTASH_VECTOR_REST_TOKEN',
    ])
  })

  it('counts secrets the Worker already holds as set', () => {
    const { UPSTASH_REDIS_REST_TOKEN, SESSION_SECRET, ...local } = edge
    const report = edgePreflight(local, new Set(['UPSTASH_REDIS_REST_TOKEN', 'SESSION_SECRET']))
    expect(report.problems).toEqual([])
    expect(report.ephemeral).toEqual([])
  })

  it('warns when queries would go to a development endpoint', () => {
    const report = edgePreflight({ ...edge, NEON_FETCH_ENDPOINT: 'http://127.0.0.1:4444/sql' })
    expect(report.notes.join(' ')).toMatch(/NEON_FETCH_ENDPOINT/)
  })
})

describe('parseEnvFile', () => {
  it('reads .dev.vars lines: comments, quotes, export, trailing comments', () => {
    expect(
      parseEnvFile(
        [
          '# a comment',
          'A=1',
          'export B = two words # and a comment',
          'C="quoted # not a comment"',
          "D='single'",
          'E=',
          'not a line',
        ].join('\n'),
      ),
    ).toEqual({ A: '1', B: 'two words', C: 'quoted # not a comment', D: 'single', E: '' })
  })
})
