/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

/** Fields of one log record. Never put secrets or raw request bodies here. */
export type LogFields = Record<string, unknown>

/**
 * A structured logger: one JSON object per line, so platform log pipelines (Workers Logs,
 * Deno Deploy, journald) can index the fields. Records below `level` are dropped.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
  /**
   * A logger that adds `fields` to every record (a request's id, a run's id), for work that
   * outlives the call that started it. A record's own fields win over bound ones.
   */
  child(fields: LogFields): Logger
}

/** Creates a logger writing JSON lines through `write` (console by default), with a clock. */
export function createLogger(options: {
  level: LogLevel
  write?: (level: LogLevel, line: string) => void
  now?: () => Date
}): Logger {
  const threshold = rank[options.level]
  const now = options.now ?? (() => new Date())
  const write =
    options.write ??
    ((level: LogLevel, line: string) => {
      if (level === 'error') console.error(line)
      else if (level === 'warn') console.warn(line)
      else console.log(line)
    })
  const bind = (bound: LogFields): Logger => {
    const log =
      (level: LogLevel) =>
      (message: string, fields: LogFields = {}) => {
        if (rank[level] < threshold) return
        write(
          level,
          JSON.stringify({ time: now().toISOString(), level, message, ...bound, ...fields }),
        )
      }
    return {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      child: (fields) => bind({ ...bound, ...fields }),
    }
  }
  return bind({})
}
