import { context, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api'
import type { OutpostMetrics } from '../telemetry/outpost-metrics.ts'
import type { ToolCallParents } from '../telemetry/tool-call-parents.ts'
import type { ToolRegistry } from '../tools/registry.ts'

/** Options of `observeToolRegistry`. */
export interface ObserveToolsOptions {
  metrics: OutpostMetrics
  /** Absent when tracing is off. */
  tracer?: Tracer
  toolCallParents?: ToolCallParents
}

/**
 * Wraps a tool registry so each call is counted by outcome and, with tracing on, is an
 * `execute_tool {name}` span (GenAI conventions) whose parent is the model call that asked
 * for it, or the active span when no model call did.
 */
export function observeToolRegistry(
  inner: ToolRegistry,
  options: ObserveToolsOptions,
): ToolRegistry {
  const { metrics, tracer } = options
  return {
    definitions: () => inner.definitions(),
    has: (name) => inner.has(name),
    needsApproval: (name) => inner.needsApproval(name),
    async execute(call, signal) {
      const asker = options.toolCallParents?.take(call.id)
      const parent = asker ? trace.setSpanContext(context.active(), asker) : context.active()
      const span = tracer?.startSpan(
        `execute_tool ${call.name}`,
        {
          kind: SpanKind.INTERNAL,
          attributes: {
            'gen_ai.operation.name': 'execute_tool',
            'gen_ai.tool.name': call.name,
            'gen_ai.tool.call.id': call.id,
            'gen_ai.tool.type': 'function',
          },
        },
        parent,
      )
      const result = span
        ? await context.with(trace.setSpan(parent, span), () => inner.execute(call, signal))
        : await inner.execute(call, signal)
      const outcome = result.ok ? 'ok' : result.error.code
      metrics.toolCalls.add({ tool: call.name, outcome })
      if (span) {
        if (!result.ok) {
          span.setAttribute('error.type', outcome)
          span.setStatus({ code: SpanStatusCode.ERROR, message: outcome })
        }
        span.end()
      }
      return result
    },
  }
}
