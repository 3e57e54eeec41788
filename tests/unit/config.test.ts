import { describe, expect, it } from 'vitest'
import { parseConfig, secretSettings } from '../../src/core/config.ts'
import { settings } from '../../src/core/config-settings.ts'
import { ConfigError } from '../../src/core/errors.ts'

function problemsOf(bindings: Record<string, unknown>) {
  try {
    parseConfig(bindings)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error('expected a ConfigError')
}

describe('parseConfig', () => {
  it('gives the embedded defaults with no bindings at all', () => {
    const config = parseConfig({})
    expect(config).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 8787,
      LOG_LEVEL: 'info',
      MAX_BODY_BYTES: 1_048_576,
      READY_TIMEOUT_MS: 2000,
      DATA_DIR: '.data',
    })
    expect(config.UPSTASH_REDIS_REST_URL).toBeUndefined()
    expect(config.DATABASE_URL).toBeUndefined()
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('treats empty and blank values as unset, and trims the rest', () => {
    const config = parseConfig({ PORT: '', HOST: '   ', LOG_LEVEL: ' debug ' })
    expect(config.PORT).toBe(8787)
    expect(config.HOST).toBe('127.0.0.1')
    expect(config.LOG_LEVEL).toBe('debug')
  })

  it('parses typed values and normalises URLs', () => {
    const config = parseConfig({
      PORT: '3000',
      UPSTASH_REDIS_REST_URL: 'https://eu1.upstash.io/',
      UPSTASH_REDIS_REST_TOKEN: 'token',
      DATABASE_URL: 'postgresql://u:p@host.neon.tech/db?sslmode=require',
    })
    expect(config.PORT).toBe(3000)
    expect(config.UPSTASH_REDIS_REST_URL).toBe('https://eu1.upstash.io')
    expect(config.DATABASE_URL).toContain('host.neon.tech')
  })

  it.each([
    ['PORT', '0', 'an integer from 1 to 65535'],
    ['PORT', '65536', 'an integer from 1 to 65535'],
    ['PORT', '80.5', 'an integer from 1 to 65535'],
    ['PORT', 'eighty', 'an integer from 1 to 65535'],
    ['LOG_LEVEL', 'verbose', 'one of debug, info, warn, error'],
    ['MAX_BODY_BYTES', '10', 'an integer number of bytes from 1024 to 67108864'],
    ['READY_TIMEOUT_MS', '-1', 'an integer number of milliseconds from 50 to 30000'],
    [
      'UPSTASH_REDIS_REST_URL',
      'redis://host:6379',
      'an http(s) URL such as https://example.upstash.io',
    ],
    [
      'UPSTASH_VECTOR_REST_URL',
      'not a url',
      'an http(s) URL such as https://example-vector.upstash.io',
    ],
    ['DATABASE_URL', 'mysql://u:p@h/db', 'a postgres:// or postgresql:// connection string'],
    ['DATABASE_URL', 'postgres://', 'a postgres:// or postgresql:// connection string'],
    ['OPENAI_BASE_URL', 'localhost:11434', 'an http(s) URL such as http://127.0.0.1:11434/v1'],
    ['ANTHROPIC_BASE_URL', 'ftp://x', 'an http(s) URL'],
  ])('rejects %s=%s, saying it expects %s', (variable, value, expected) => {
    const pair =
      variable === 'UPSTASH_REDIS_REST_URL'
        ? { UPSTASH_REDIS_REST_TOKEN: 't' }
        : variable === 'UPSTASH_VECTOR_REST_URL'
          ? { UPSTASH_VECTOR_REST_TOKEN: 't' }
          : {}
    const error = problemsOf({ [variable]: value, ...pair })
    expect(error.problems).toEqual([{ variable, expected }])
    expect(error.code).toBe('config_invalid')
    expect(error.message).toContain(`${variable}: ${expected}`)
  })

  it('requires both halves of a URL/token pair, in either direction', () => {
    expect(problemsOf({ UPSTASH_REDIS_REST_URL: 'https://r.example' }).problems).toEqual([
      {
        variable: 'UPSTASH_REDIS_REST_TOKEN',
        expected: 'required when UPSTASH_REDIS_REST_URL is set',
      },
    ])
    expect(problemsOf({ UPSTASH_VECTOR_REST_TOKEN: 'secret' }).problems).toEqual([
      {
        variable: 'UPSTASH_VECTOR_REST_URL',
        expected: 'required when UPSTASH_VECTOR_REST_TOKEN is set',
      },
    ])
  })

  it('does not ask for the other half when the given half is itself invalid', () => {
    const error = problemsOf({ UPSTASH_REDIS_REST_URL: 'nope' })
    expect(error.problems.map((p) => p.variable)).toEqual([
      'UPSTASH_REDIS_REST_URL',
      'UPSTASH_REDIS_REST_TOKEN',
    ])
  })

  it('reports every problem at once, in declaration order', () => {
    const error = problemsOf({ PORT: 'x', LOG_LEVEL: 'loud', DATABASE_URL: 'x' })
    expect(error.problems.map((p) => p.variable)).toEqual(['PORT', 'LOG_LEVEL', 'DATABASE_URL'])
  })

  it('rejects a binding that is not text (a platform object bound to a setting name)', () => {
    const error = problemsOf({ PORT: { fetch() {} } })
    expect(error.problems[0]?.variable).toBe('PORT')
    expect(error.problems[0]?.expected).toContain('non-text binding')
  })

  it('never puts a value in the message, secrets least of all', () => {
    const secret = 'sk-live-do-not-print-7731'
    const error = problemsOf({
      DATABASE_URL: `mysql://admin:${secret}@db/app`,
      OPENAI_API_KEY: secret,
      PORT: secret,
      UPSTASH_REDIS_REST_TOKEN: secret,
    })
    expect(error.message).not.toContain(secret)
    expect(JSON.stringify(error.details)).not.toContain(secret)
  })

  it('ignores bindings it does not know (platform bindings such as ASSETS)', () => {
    expect(() => parseConfig({ ASSETS: { fetch() {} }, SOMETHING_ELSE: 'x' })).not.toThrow()
  })

  it('marks every token, key and connection string as secret', () => {
    expect([...secretSettings].sort()).toEqual(
      [
        'ANTHROPIC_API_KEY',
        'DATABASE_URL',
        'MCP_SERVERS',
        'METRICS_TOKEN',
        'OPENAI_API_KEY',
        'OTEL_EXPORTER_OTLP_HEADERS',
        'SESSION_SECRET',
        'UPSTASH_REDIS_REST_TOKEN',
        'UPSTASH_VECTOR_REST_TOKEN',
        'WEB_SEARCH_API_KEY',
      ].sort(),
    )
    expect(Object.keys(settings)).toContain('DATABASE_URL')
  })
})
