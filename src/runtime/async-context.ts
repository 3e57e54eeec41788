import { context } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'

/**
 * Backs OpenTelemetry's active context with AsyncLocalStorage (Node, Bun and Deno natively;
 * Workers through the `nodejs_compat` flag), so a span started in a request is the parent of
 * spans started by the work it causes, background runs included. Without it every span would
 * be a root. Once per process; later calls change nothing.
 */
export function enableAsyncContext(): void {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
}
