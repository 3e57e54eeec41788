import { expect, it } from 'vitest'
import { createLogger } from '../../src/core/telemetry/logger.ts'
import { sdkLogger } from '../../src/core/telemetry/sdk-logger.ts'

it('turns SDK warnings into JSON lines, without their extra arguments', () => {
  const lines: string[] = []
  const logger = createLogger({ level: 'debug', write: (_level, line) => lines.push(line) })
  const sdk = sdkLogger(logger, 'openai')
  sdk.warn('deprecated option', { body: 'user text' })
  sdk.debug('request', { body: 'user text' })
  expect(lines).toHaveLength(1)
  expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 'warn', sdk: 'openai' })
  expect(lines[0]).not.toContain('user text')
})
