import type { OpenAI } from 'openai'
import { AppError } from '../errors.ts'
import type { FetchFunction } from '../telemetry/fetch-function.ts'
import type { Logger } from '../telemetry/logger.ts'
import { sdkLogger } from '../telemetry/sdk-logger.ts'
import type { AnthropicClient } from './anthropic-client.ts'
import type { ChatModel } from './chat-model.ts'
import type { DemoModelOptions } from './demo.ts'
import { createLazyCache } from './lazy-cache.ts'
import type { ModelCatalog, ProviderConnection, ProviderName } from './model-catalog.ts'
import type { ProviderFetch } from './provider-fetch.ts'

/** Hands out chat models by catalog id, building SDK clients lazily and sharing them. */
export interface ModelProvider {
  /** The model for a `provider:model` id; rejects with `AppError` for an unknown provider. */
  get(id: string): Promise<ChatModel>
  /**
   * Asks a configured provider whether it answers, by listing its models through its SDK
   * (cheap, no tokens spent). Rejects when it does not; used by `/readyz`.
   */
  ping(provider: ProviderName, signal?: AbortSignal): Promise<void>
}

/** Builds SDK clients; injectable so tests can count builds or wrap fetch. */
export interface ClientFactories {
  anthropic(
    connection: ProviderConnection,
    logger?: Logger,
  ): AnthropicClient | Promise<AnthropicClient>
  openai(connection: ProviderConnection, logger?: Logger): OpenAI | Promise<OpenAI>
}

/** Options of `createModelProvider`. */
export interface ModelProviderOptions {
  catalog: ModelCatalog
  clients?: Partial<ClientFactories>
  demo?: DemoModelOptions
  /** Where the SDKs' own warnings go (as JSON lines), instead of the console. */
  logger?: Logger
  /**
   * The fetch the default SDK clients use; telemetry passes one that adds the active span's
   * `traceparent` to every provider request.
   */
  fetch?: FetchFunction
  /**
   * What the direct OpenAI calls send with (see `ProviderFetch`): the runtime's own transport
   * when it has a cheaper one. `fetch` when absent.
   */
  providerFetch?: ProviderFetch
}

/**
 * The SDKs are imported on first use so a cold start that only serves the demo model (or
 * only one provider) never loads the others. Clients are created with `maxRetries: 0`:
 * retrying is the fallback layer's job, with breakers and other candidates.
 */
const defaultClients = (fetch: FetchFunction | undefined): ClientFactories => ({
  async anthropic(connection, logger) {
    const { LeanAnthropic } = await import('./anthropic-client.ts')
    return new LeanAnthropic({
      apiKey: connection.apiKey,
      baseURL: connection.baseUrl,
      maxRetries: 0,
      ...(logger ? { logger: sdkLogger(logger, 'anthropic') } : {}),
      ...(fetch ? { fetch } : {}),
    })
  },
  async openai(connection, logger) {
    const { OpenAI } = await import('openai')
    return new OpenAI({
      apiKey: connection.apiKey ?? 'not-needed',
      baseURL: connection.baseUrl,
      maxRetries: 0,
      ...(logger ? { logger: sdkLogger(logger, 'openai') } : {}),
      ...(fetch ? { fetch } : {}),
    })
  },
})

/**
 * Creates chat models for catalog ids. One client per provider connection and one model per
 * id, each built once even under concurrent first use.
 */
export function createModelProvider(options: ModelProviderOptions): ModelProvider {
  const { catalog } = options
  const factories = { ...defaultClients(options.fetch), ...options.clients }

  // Keyed by the connection itself, so two providers sharing a configuration share a client.
  const clients = createLazyCache<AnthropicClient | OpenAI>((key) => {
    const { provider, connection } = JSON.parse(key) as {
      provider: string
      connection: ProviderConnection
    }
    return provider === 'anthropic'
      ? factories.anthropic(connection, options.logger)
      : factories.openai(connection, options.logger)
  })
  const clientFor = (provider: string) => {
    const connection = catalog.connections[provider as keyof typeof catalog.connections]
    if (!connection) throw unknownProvider(provider)
    const kind = provider === 'anthropic' ? 'anthropic' : 'openai'
    return clients.get(JSON.stringify({ provider: kind, connection }))
  }

  const models = createLazyCache<ChatModel>(async (id) => {
    const at = id.indexOf(':')
    const provider = id.slice(0, at)
    const model = id.slice(at + 1)
    if (at <= 0 || !model) throw unknownProvider(id)
    if (provider === 'demo') {
      const { createDemoModel } = await import('./demo.ts')
      return createDemoModel(options.demo)
    }
    const client = await clientFor(provider)
    if (provider === 'anthropic') {
      const { createAnthropicModel } = await import('./anthropic.ts')
      return createAnthropicModel({ client: client as AnthropicClient, model })
    }
    const { createOpenAiModel } = await import('./openai.ts')
    // Our own clients only: an injected one may carry a fetch of its own that must be used.
    const direct = options.clients?.openai
      ? undefined
      : await import('./openai-direct-completion.ts')
    const fetch: ProviderFetch =
      options.providerFetch ?? options.fetch ?? ((input, init) => globalThis.fetch(input, init))
    return createOpenAiModel({
      client: client as OpenAI,
      model,
      provider,
      ...(direct
        ? {
            completeChat: direct.directChatCompletions(client as OpenAI, fetch),
            streamChat: direct.directChatStream(client as OpenAI, fetch),
          }
        : {}),
    })
  })

  return {
    get: (id) => models.get(id),
    async ping(provider, signal) {
      if (provider === 'demo') return
      const client = await clientFor(provider)
      if (provider === 'anthropic')
        await (client as AnthropicClient).models.list({ limit: 1 }, { signal })
      else await (client as OpenAI).models.list({ signal })
    },
  }
}

function unknownProvider(what: string): AppError {
  return new AppError('model_unknown', `No configured provider for "${what}"`, {
    status: 400,
    expose: true,
  })
}
