import type { Config } from './config.ts'
import { createAdmitStage } from './gate/admit-stage.ts'
import type { GateStage } from './gate/gate-stage.ts'
import { createKvLimiter } from './limits/kv-limiter.ts'
import type { LimitPolicy } from './limits/limit-policy.ts'
import type { Limiter } from './limits/limiter.ts'
import { createUpstashLimiter } from './limits/upstash-limiter.ts'
import type { Memory } from './memory/create-memory.ts'
import type { ModelCatalog } from './models/model-catalog.ts'
import type { Logger } from './telemetry/logger.ts'

/** The limits of a configuration: the counters, the defaults, and the gate stage using them. */
export interface Limits {
  limiter: Limiter
  /** The limits configured for every principal; unset ones are no limit. */
  limits: LimitPolicy
  admit: GateStage
}

/**
 * Picks the limiter (Upstash's when Redis is Upstash, otherwise counters in the KV store)
 * unless one is given, and builds the `admit` stage over it.
 */
export function createLimits(options: {
  config: Config
  memory: Pick<Memory, 'redis' | 'kv' | 'kvPrefix'>
  catalog: Pick<ModelCatalog, 'get' | 'entries'>
  logger: Logger
  limiter?: Limiter
}): Limits {
  const { config, memory } = options
  const limiter =
    options.limiter ??
    (memory.redis
      ? createUpstashLimiter({ redis: memory.redis, kv: memory.kv, kvPrefix: memory.kvPrefix })
      : createKvLimiter({ kv: memory.kv, backend: 'in-memory' }))
  const limits = configuredLimits(config)
  const admit = createAdmitStage({
    limiter,
    defaults: limits,
    catalog: options.catalog,
    defaultOutputTokens: config.LIMIT_DEFAULT_MAX_TOKENS,
    storeDown: config.LIMITS_STORE_DOWN,
    failOpenRpm: config.LIMITS_FAIL_OPEN_RPM,
    logger: options.logger,
  })
  return { limiter, limits, admit }
}

function configuredLimits(config: Config): LimitPolicy {
  const limits: LimitPolicy = {}
  if (config.LIMIT_RPM !== undefined) limits.rpm = config.LIMIT_RPM
  if (config.LIMIT_TPM !== undefined) limits.tpm = config.LIMIT_TPM
  if (config.LIMIT_CONCURRENT_RUNS !== undefined) limits.concurrent = config.LIMIT_CONCURRENT_RUNS
  if (config.LIMIT_USD_PER_DAY !== undefined) limits.usdPerDay = config.LIMIT_USD_PER_DAY
  if (config.LIMIT_USD_PER_MONTH !== undefined) limits.usdPerMonth = config.LIMIT_USD_PER_MONTH
  return limits
}
