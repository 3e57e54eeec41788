import { describe, expect, it } from 'vitest'
import { createLogger, type LogLevel } from '../../src/core/telemetry/logger.ts'

describe('createLogger', () => {
  const capture = (level: LogLevel) => {
    const lines: Array<[LogLevel, unknown]> = []
    const logger = createLogger({
      level,
      write: (at, line) => lines.push([at, JSON.parse(line)]),
      now: () => new Date('2026-01-02T03:04:05.000Z'),
    })
    return { logger, lines }
  }

  it('writes one JSON record per call with time, level, message and fields', () => {
    const { logger, lines } = capture('debug')
    logger.info('request', { status: 200 })
    expect(lines).toEqual([
      [
        'info',
        { time: '2026-01-02T03:04:05.000Z', level: 'info', message: 'request', status: 200 },
      ],
    ])
  })

  it('drops records below the configured level', () => {
    const { logger, lines } = capture('warn')
    logger.debug('a')
    logger.info('b')
    logger.warn('c')
    logger.error('d')
    expect(lines.map(([level]) => level)).toEqual(['warn', 'error'])
  })

  it('binds fields in children, which nest, and lets a record override them', () => {
    const { logger, lines } = capture('debug')
    const request = logger.child({ request_id: 'r1', surface: 'rest' })
    request.child({ run_id: 'u1' }).info('run settled', { surface: 'openai' })
    expect(lines.at(-1)?.[1]).toEqual({
      time: '2026-01-02T03:04:05.000Z',
      level: 'info',
      message: 'run settled',
      request_id: 'r1',
      run_id: 'u1',
      surface: 'openai',
    })
  })
})
