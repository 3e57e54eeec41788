import { InjectionBlockedError } from '../guards/injection/injection-blocked-error.ts'
import type { InjectionGuard } from '../guards/injection/injection-guard.ts'
import type { InjectionVerdict } from '../guards/injection/injection-policy.ts'
import { wrapUntrusted } from '../guards/injection/untrusted-data.ts'
import type { ToolRegistry, ToolResult } from './registry.ts'

/**
 * A registry whose successful results pass the guard's `tool-result` policy before the model
 * sees them (indirect injection: web pages, remote MCP output). `flag` wraps the content as
 * untrusted data; `block` turns the result into a failure whose message names the guard and
 * its reasons, so the model can say why the tool gave nothing. `onVerdict` receives every
 * verdict that is not `allow` (for the run's `guard` event).
 */
export function withInjectionGuard(
  registry: ToolRegistry,
  guard: InjectionGuard,
  onVerdict?: (result: ToolResult, verdict: InjectionVerdict) => void,
): ToolRegistry {
  return {
    definitions: () => registry.definitions(),
    has: (name) => registry.has(name),
    needsApproval: (name) => registry.needsApproval(name),
    async execute(call, signal) {
      const result = await registry.execute(call, signal)
      if (!result.ok) return result
      const verdict = guard.inspect('tool-result', result.content)
      if (verdict.verdict === 'allow') return result
      onVerdict?.(result, verdict)
      if (verdict.verdict === 'flag') {
        return { ...result, content: wrapUntrusted(result.content, 'tool-result', verdict.reasons) }
      }
      const message = new InjectionBlockedError('tool-result', verdict).message
      return {
        callId: result.callId,
        name: result.name,
        durationMs: result.durationMs,
        ok: false,
        error: { code: 'failed', message },
        content: `Error (failed): ${message}`,
      }
    },
  }
}
