import {
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api'
import { isAppError } from '../errors.ts'
import type { ChatModel, ChatRequest, ModelEvent } from '../models/chat-model.ts'
import type { ModelCatalog } from '../models/model-catalog.ts'
import type { ModelProvider } from '../models/model-provider.ts'
import { tappedStream } from '../models/tapped-stream.ts'
import type { OutpostMetrics } from '../telemetry/outpost-metrics.ts'
import type { ToolCallParents } from '../telemetry/tool-call-parents.ts'

/** Options of `observeModelProvider`. */
export interface ObserveModelsOptions {
  metrics: OutpostMetrics
  /** Absent when tracing is off: then only metrics are kept. */
  tracer?: Tracer
  toolCallParents?: ToolCallParents
  /** Prices for the cost counter. */
  catalog: Pick<ModelCatalog, 'get'>
  now?: () => number
}

// GenAI semantic conventions use the provider's well-known name; ours are catalog names.
const providerNames: Record<string, string> = {
  anthropic: 'anthropic',
  openai: 'openai',
  local: 'openai_compatible',
  demo: 'outpost_demo',
}

/**
 * Wraps a model provider so every model call is measured (duration, time to first token,
 * tokens, cost, provider errors) and, with tracing on, is a `chat {model}` client span that
 * follows the OpenTelemetry GenAI conventions. The provider's own request runs with that span
 * active, so the traceparent the SDK sends names it.
 */
export function observeModelProvider(
  inner: ModelProvider,
  options: ObserveModelsOptions,
): ModelProvider {
  // Weak: a model the provider no longer hands out must not be kept alive by its wrapper.
  const wrapped = new WeakMap<ChatModel, ChatModel>()
  return {
    ping: (provider, signal) => inner.ping(provider, signal),
    async get(id) {
      const model = await inner.get(id)
      let observed = wrapped.get(model)
      if (!observed) {
        observed = observeModel(model, options)
        wrapped.set(model, observed)
      }
      return observed
    },
  }
}

function observeModel(model: ChatModel, options: ObserveModelsOptions): ChatModel {
  const { metrics, tracer } = options
  const now = options.now ?? (() => performance.now())
  const provider = model.provider
  const labels = { provider, model: model.id }
  const price = options.catalog.get(model.id)?.price

  // A tap on the provider's own iterator, not a generator around it: every streamed chunk
  // crosses this wrapper, and a generator costs each one a step of its own (promise turns and
  // a queue entry) where a tap costs one `then`.
  function stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<ModelEvent> {
    return {
      [Symbol.asyncIterator]() {
        // The call starts when it is first read, as a generator's body would.
        return observedCall(request, signal)[Symbol.asyncIterator]()
      },
    }
  }

  function observedCall(request: ChatRequest, signal?: AbortSignal): AsyncIterable<ModelEvent> {
    const started = now()
    const span = tracer?.startSpan(
      `chat ${model.model}`,
      { kind: SpanKind.CLIENT, attributes: requestAttributes(model, request) },
      context.active(),
    )
    const events = model.stream(request, signal)
    let firstTokenAt: number | undefined
    const end = (outcome: string) => {
      metrics.modelOperationDuration.observe({ ...labels, outcome }, (now() - started) / 1000)
      span?.end()
    }
    return tappedStream(
      span ? firstStepIn(trace.setSpan(context.active(), span), events) : events,
      {
        item(event) {
          if (firstTokenAt === undefined && event.type !== 'usage' && event.type !== 'finish') {
            firstTokenAt = now()
            metrics.modelTimeToFirstToken.observe(labels, (firstTokenAt - started) / 1000)
          }
          if (event.type === 'tool-call' && span) {
            options.toolCallParents?.set(event.call.id, span.spanContext())
          } else if (event.type === 'usage') {
            countUsage(event.inputTokens, event.outputTokens, span)
          } else if (event.type === 'finish') {
            span?.setAttribute('gen_ai.response.finish_reasons', [event.reason])
          }
        },
        end: () => end('ok'),
        error(error) {
          const outcome = isAppError(error) ? error.code : 'internal_error'
          if (outcome !== 'provider_aborted')
            metrics.providerErrors.add({ provider, code: outcome })
          span?.setAttribute('error.type', outcome)
          span?.setStatus({ code: SpanStatusCode.ERROR, message: outcome })
          end(outcome)
        },
        // The consumer stopped early (a fallback, a cancelled turn); the provider stream is closed.
        left: () => end('cancelled'),
      },
    )
  }

  function countUsage(inputTokens: number, outputTokens: number, span: Span | undefined) {
    metrics.tokens.add({ model: model.id, type: 'input' }, inputTokens)
    metrics.tokens.add({ model: model.id, type: 'output' }, outputTokens)
    if (price) {
      const dollars = (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1e6
      metrics.cost.add({ model: model.id }, dollars)
    }
    span?.setAttributes({
      'gen_ai.usage.input_tokens': inputTokens,
      'gen_ai.usage.output_tokens': outputTokens,
    })
  }

  return { id: model.id, provider: model.provider, model: model.model, stream }
}

/**
 * `events` with its first step run in `active`: the provider request starts on that step, and
 * the SDK's fetch reads the active span for the traceparent. Later steps only read the stream.
 */
function firstStepIn(
  active: Context,
  events: AsyncIterable<ModelEvent>,
): AsyncIterable<ModelEvent> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = events[Symbol.asyncIterator]()
      let first = true
      return {
        next() {
          if (!first) return iterator.next()
          first = false
          return context.with(active, () => iterator.next())
        },
        return: async (value?: unknown) =>
          (await iterator.return?.(value)) ?? { done: true as const, value: undefined },
      }
    },
  }
}

function requestAttributes(model: ChatModel, request: ChatRequest) {
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': providerNames[model.provider] ?? model.provider,
    'gen_ai.request.model': model.model,
    // Adapters answer from the model they asked for; the provider's own echo is not exposed.
    'gen_ai.response.model': model.model,
    ...(request.maxTokens !== undefined ? { 'gen_ai.request.max_tokens': request.maxTokens } : {}),
    ...(request.temperature !== undefined
      ? { 'gen_ai.request.temperature': request.temperature }
      : {}),
  }
}
