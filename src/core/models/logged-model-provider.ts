import type { Logger } from '../telemetry/logger.ts'
import type { ChatModel, ChatRequest } from './chat-model.ts'
import type { ModelProvider } from './model-provider.ts'
import { ProviderError } from './provider-error.ts'
import { tappedStream } from './tapped-stream.ts'

/**
 * Wraps a `ModelProvider` so operators see a provider that fails, not only the user who gets
 * the error answer and `/readyz`: one `warn` record when a provider starts failing (provider,
 * model, code, upstream status; never the key or the provider's message), nothing more while
 * it keeps failing, and one `info` record once it answers again. A cancelled stream is not a
 * failure.
 */
export function loggedModelProvider(models: ModelProvider, logger: Logger): ModelProvider {
  const failing = new Set<string>()
  const wrappers = new WeakMap<ChatModel, ChatModel>()

  const failed = (model: ChatModel, error: unknown) => {
    if (!(error instanceof ProviderError) || error.code === 'provider_aborted') return
    if (failing.has(model.provider)) return
    failing.add(model.provider)
    logger.warn('model provider failing', {
      provider: model.provider,
      model: model.model,
      code: error.code,
      upstream_status: error.upstreamStatus,
      retryable: error.retryable,
    })
  }
  const answered = (model: ChatModel) => {
    if (!failing.delete(model.provider)) return
    logger.info('model provider answering again', { provider: model.provider })
  }

  const watched = (model: ChatModel, request: ChatRequest, signal?: AbortSignal) =>
    tappedStream(model.stream(request, signal), {
      error: (error) => failed(model, error),
      end: () => answered(model),
    })

  return {
    ping: (provider, signal) => models.ping(provider, signal),
    async get(id) {
      const model = await models.get(id)
      // One wrapper per model, not per call: callers (the metrics wrapper) key on the identity
      // of what they get, and a new object per request grew their maps by one entry each.
      let logged = wrappers.get(model)
      if (!logged) {
        logged = {
          id: model.id,
          provider: model.provider,
          model: model.model,
          stream: (request, signal) => watched(model, request, signal),
        }
        wrappers.set(model, logged)
      }
      return logged
    },
  }
}
