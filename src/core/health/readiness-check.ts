/**
 * One dependency `/readyz` asks about: a store or a model provider. `check` resolves when the
 * dependency answers and rejects (with anything) when it does not; the caller applies the
 * timeout and aborts `signal` when it expires.
 */
export interface ReadinessCheck {
  /** Stable identifier, e.g. `history`, `provider:openai`. */
  name: string
  kind: 'store' | 'provider'
  /** Which implementation answers, e.g. `upstash-redis`, `pglite`, `in-memory`. */
  backend: string
  check(signal: AbortSignal): Promise<void>
}
