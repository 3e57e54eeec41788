import type { KvStore } from '../memory/kv-store.ts'
import type { FetchFunction } from '../telemetry/fetch-function.ts'
import type { Logger } from '../telemetry/logger.ts'
import { type CircuitBreaker, createBreaker } from './breaker.ts'
import { type CatalogOptions, createCatalog } from './catalog.ts'
import type { DemoModelOptions } from './demo.ts'
import { createModelClassifier } from './intent-classifier.ts'
import { loggedModelProvider } from './logged-model-provider.ts'
import type { ModelCatalog } from './model-catalog.ts'
import { type ClientFactories, createModelProvider, type ModelProvider } from './model-provider.ts'
import type { ProviderFetch } from './provider-fetch.ts'
import { createRouter, type Router } from './router.ts'

/** Everything `createModels` needs: catalog options plus shared state and switches. */
export interface CreateModelsOptions extends CatalogOptions {
  /** Where breaker state lives; without it there is no breaker. */
  kv?: KvStore
  /** Ask the fast tier to classify requests the heuristics are unsure about. Default false. */
  classifyWhenUnsure?: boolean
  now?: () => number
  demo?: DemoModelOptions
  clients?: Partial<ClientFactories>
  /** Where a failing provider is reported (once per episode) and the SDKs' warnings go. */
  logger?: Logger
  /** The fetch of the default SDK clients (see `ModelProviderOptions.fetch`). */
  fetch?: FetchFunction
  /** The direct OpenAI calls' transport (see `ModelProviderOptions.providerFetch`). */
  providerFetch?: ProviderFetch
}

/** The model half of the services: what `runTurn` takes as `router`, `models`, `breaker`. */
export interface Models {
  catalog: ModelCatalog
  models: ModelProvider
  router: Router
  breaker: CircuitBreaker | undefined
}

/**
 * Builds catalog, lazy model provider, router and breaker from plain options. Cheap: no SDK
 * is loaded and no client is built until the first request needs one.
 */
export function createModels(options: CreateModelsOptions): Models {
  const catalog = createCatalog(options)
  const provider = createModelProvider({
    catalog,
    demo: options.demo,
    clients: options.clients,
    logger: options.logger,
    fetch: options.fetch,
    providerFetch: options.providerFetch,
  })
  const models = options.logger ? loggedModelProvider(provider, options.logger) : provider
  const fast = catalog.tiers.fast[0]
  const classify =
    options.classifyWhenUnsure && !catalog.demo && fast
      ? createModelClassifier(() => models.get(fast.id))
      : undefined
  return {
    catalog,
    models,
    router: createRouter({ catalog, classify }),
    breaker: options.kv ? createBreaker({ kv: options.kv, now: options.now }) : undefined,
  }
}
