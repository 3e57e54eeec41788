import { createMetricRegistry, type MetricDescriptor } from './metric-registry.ts'
import type { MetricStore } from './metric-store.ts'

const secondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]

/**
 * Every metric Outpost exposes on `/metrics`. Names follow Prometheus conventions (base
 * units, `_total` on counters); labels stay low-cardinality: route patterns, never raw paths.
 *
 * `cacheRequests`, `guardVerdicts` and `limitRefusals` show up with no series until the
 * response cache, the injection guard and the limits first count something.
 */
export function createOutpostMetrics(store: MetricStore) {
  const registry = createMetricRegistry(store)
  const metrics = {
    httpRequestDuration: registry.histogram({
      name: 'outpost_http_request_duration_seconds',
      help: 'HTTP requests by method, matched route pattern and status, until the response starts.',
      labelNames: ['method', 'route', 'status'],
      buckets: secondsBuckets,
    }),
    modelOperationDuration: registry.histogram({
      name: 'outpost_model_operation_duration_seconds',
      help: 'Model calls from request to last event, by provider, model and outcome.',
      labelNames: ['provider', 'model', 'outcome'],
      buckets: secondsBuckets,
    }),
    modelTimeToFirstToken: registry.histogram({
      name: 'outpost_model_time_to_first_token_seconds',
      help: 'Time from a model request to its first text or tool call, by provider and model.',
      labelNames: ['provider', 'model'],
      buckets: secondsBuckets,
    }),
    tokens: registry.counter({
      name: 'outpost_model_tokens_total',
      help: 'Tokens used, by model and type (input or output).',
      labelNames: ['model', 'type'],
      integer: true,
    }),
    cost: registry.counter({
      name: 'outpost_model_cost_dollars_total',
      help: 'Cost of model calls in US dollars at catalog prices, by model.',
      labelNames: ['model'],
    }),
    providerErrors: registry.counter({
      name: 'outpost_model_provider_errors_total',
      help: 'Failed model calls, by provider and error code.',
      labelNames: ['provider', 'code'],
      integer: true,
    }),
    fallbacks: registry.counter({
      name: 'outpost_model_fallbacks_total',
      help: 'Turns that moved from one model to another after a failure.',
      labelNames: ['from', 'to'],
      integer: true,
    }),
    toolCalls: registry.counter({
      name: 'outpost_tool_calls_total',
      help: 'Tool calls by tool and outcome (ok or an error code).',
      labelNames: ['tool', 'outcome'],
      integer: true,
    }),
    activeRuns: registry.gauge({
      name: 'outpost_active_runs',
      help: 'Runs started and not yet finished.',
      labelNames: [],
      integer: true,
    }),
    openConnections: registry.gauge({
      name: 'outpost_open_connections',
      help: 'Open streaming connections, by kind (sse or websocket).',
      labelNames: ['kind'],
      integer: true,
    }),
    cacheRequests: registry.counter({
      name: 'outpost_cache_requests_total',
      help: 'Response cache lookups by result: hit, miss or coalesced.',
      labelNames: ['result'],
      integer: true,
    }),
    guardVerdicts: registry.counter({
      name: 'outpost_guard_verdicts_total',
      help: 'Prompt-injection guard verdicts by guard, path (user-input, tool-result, recalled-memory) and verdict (allow, flag, block).',
      labelNames: ['guard', 'path', 'verdict'],
      integer: true,
    }),
    limitRefusals: registry.counter({
      name: 'outpost_limit_refusals_total',
      help: 'Requests refused by a limit or budget, by limit.',
      labelNames: ['limit'],
      integer: true,
    }),
  }
  const declared: readonly MetricDescriptor[] = registry.metrics
  return {
    ...metrics,
    /** The Prometheus text exposition of every metric above. */
    render: () => store.render(declared),
    /** Sends pending changes where they are shared (Workers); see `MetricStore.flush`. */
    flush: (force?: boolean) => store.flush(force),
  }
}

/** The metrics of a running app. */
export type OutpostMetrics = ReturnType<typeof createOutpostMetrics>
