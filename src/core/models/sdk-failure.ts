import type { ProviderError } from './provider-error.ts'
import { providerError } from './provider-failure.ts'

// Any constructor, whatever its parameters: the classes are only used with `instanceof`.
type ErrorClass<T extends Error = Error> = abstract new (...args: never[]) => T

/** An SDK's HTTP error: status, response headers and the parsed error body. */
interface SdkApiError extends Error {
  status?: number
  headers?: { get(name: string): string | null } | undefined
  error?: unknown
}

/**
 * The error classes that the official `openai` and `@anthropic-ai/sdk` clients both export
 * (they come from the same generator). Each adapter passes its own SDK's classes.
 */
export interface SdkErrorClasses {
  APIUserAbortError: ErrorClass
  APIConnectionTimeoutError: ErrorClass
  APIConnectionError: ErrorClass
  APIError: ErrorClass<SdkApiError>
}

/**
 * Sorts an SDK failure into a `ProviderFailure` kind and hands it to `providerError`, which
 * decides retryability. Order matters: a timeout is a connection error too, and both are API
 * errors in the SDKs' class hierarchy. `errorType` reads the provider's error type from the
 * response body, whose shape differs between providers.
 */
export function sdkFailure(
  error: unknown,
  signal: AbortSignal | undefined,
  context: {
    provider: string
    model: string
    classes: SdkErrorClasses
    errorType: (body: unknown) => string | undefined
  },
): ProviderError {
  const { provider, model, classes } = context
  if (error instanceof classes.APIUserAbortError || signal?.aborted) {
    return providerError({ provider, model, kind: 'abort', cause: error })
  }
  if (error instanceof classes.APIConnectionTimeoutError) {
    return providerError({ provider, model, kind: 'timeout', cause: error })
  }
  if (error instanceof classes.APIConnectionError) {
    return providerError({ provider, model, kind: 'connection', cause: error })
  }
  if (error instanceof classes.APIError) {
    return providerError({
      provider,
      model,
      kind: 'api',
      status: error.status,
      headers: error.headers,
      errorType: context.errorType(error.error),
      cause: error,
    })
  }
  return providerError({ provider, model, kind: 'other', cause: error })
}
