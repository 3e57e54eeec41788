import type { LogFields } from './logger.ts'

/**
 * What the log may say about an error: its code and class names along the cause chain, never
 * a message. Driver messages quote SQL with its parameters (user text, owner ids) and parse
 * errors quote their input, so messages and stacks stay out of the log; the request id and
 * the code are what an operator needs to find the failing call.
 */
export function errorFields(error: unknown): LogFields {
  const chain: Array<{ name?: string; code?: string }> = []
  let current: unknown = error
  for (let depth = 0; depth < 4 && current !== null && current !== undefined; depth++) {
    const item = current as { name?: unknown; code?: unknown; cause?: unknown }
    chain.push({
      name: typeof item.name === 'string' ? item.name.slice(0, 60) : typeof current,
      ...(typeof item.code === 'string' && /^[\w.-]{1,40}$/.test(item.code)
        ? { code: item.code }
        : {}),
    })
    current = typeof current === 'object' ? item.cause : undefined
  }
  const [first, ...causes] = chain
  return {
    error: first?.name ?? 'unknown',
    ...(first?.code ? { code: first.code } : {}),
    ...(causes.length > 0 ? { causes } : {}),
  }
}
