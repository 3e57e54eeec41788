import { context, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api'
import { isAppError } from '../errors.ts'

/**
 * Wraps every method of a store (KvStore, HistoryStore, TextIndex...) in an internal span
 * named `{store} {method}`, a child of the active span. Only with tracing on; the store is
 * returned as it is otherwise. Methods keep their `this`, arguments and results.
 */
export function observeStore<T extends object>(store: T, name: string, tracer?: Tracer): T {
  if (!tracer) return store
  const wrapped = new Map<PropertyKey, unknown>()
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver)
      if (typeof value !== 'function') return value
      let method = wrapped.get(property)
      if (!method) {
        method = traced(tracer, `${name} ${String(property)}`, name, value.bind(target))
        wrapped.set(property, method)
      }
      return method
    },
  })
}

function traced(
  tracer: Tracer,
  spanName: string,
  store: string,
  call: (...args: unknown[]) => unknown,
) {
  return (...args: unknown[]) => {
    const parent = context.active()
    // A store call outside any request (start-up probes) would be a trace of its own: skip.
    if (!trace.getSpan(parent)) return call(...args)
    const span = tracer.startSpan(
      spanName,
      {
        kind: SpanKind.INTERNAL,
        attributes: { 'outpost.store': store, 'db.operation.name': spanName.split(' ')[1] },
      },
      parent,
    )
    let result: unknown
    try {
      // Stores make no spans of their own, so the span need not become the active one.
      result = call(...args)
    } catch (error) {
      fail(span, error)
      span.end()
      throw error
    }
    if (!(result instanceof Promise)) {
      span.end()
      return result
    }
    return result.then(
      (value) => {
        span.end()
        return value
      },
      (error: unknown) => {
        fail(span, error)
        span.end()
        throw error
      },
    )
  }
}

function fail(span: ReturnType<Tracer['startSpan']>, error: unknown) {
  const type = isAppError(error) ? error.code : 'internal_error'
  span.setAttribute('error.type', type)
  span.setStatus({ code: SpanStatusCode.ERROR, message: type })
}
