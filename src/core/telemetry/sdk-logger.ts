import type { Logger } from './logger.ts'

/** The logger shape the OpenAI and Anthropic SDKs accept (`logger` client option). */
export interface SdkLogger {
  error(message: string, ...rest: unknown[]): void
  warn(message: string, ...rest: unknown[]): void
  info(message: string, ...rest: unknown[]): void
  debug(message: string, ...rest: unknown[]): void
}

/**
 * Routes an SDK's own warnings and errors into our JSON log, so a library never prints a
 * plain-text line into it. Only the SDK's message is kept (bounded), never the extra
 * arguments, which can hold request and response bodies; info and debug are dropped.
 */
export function sdkLogger(logger: Logger, sdk: string): SdkLogger {
  const text = (message: unknown) => String(message).slice(0, 300)
  return {
    error: (message) => logger.error('sdk error', { sdk, sdk_message: text(message) }),
    warn: (message) => logger.warn('sdk warning', { sdk, sdk_message: text(message) }),
    info: () => {},
    debug: () => {},
  }
}
