import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  type OpenAI,
} from 'openai'
import type { ProviderFetch, ProviderResponse } from './provider-fetch.ts'

type Params = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming
type StreamParams = OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming
type Completion = OpenAI.Chat.Completions.ChatCompletion

/** A non-streaming chat completion: the parameters, and the caller's signal. */
export type CompleteChat = (params: Params, signal?: AbortSignal) => Promise<Completion>

/**
 * A streaming chat completion's response, its body unread. `release` must be called once the
 * body is done with: until then the caller's signal still cancels the body.
 */
export type StreamChat = (
  params: StreamParams,
  signal?: AbortSignal,
) => Promise<{ response: ProviderResponse; release: () => void }>

type Send = (
  params: Params | StreamParams,
  signal: AbortSignal | undefined,
) => Promise<{ response: ProviderResponse; release: () => void }>

/**
 * Non-streaming chat completions sent with one plain `fetch`, on the client's base URL, key
 * and timeout. Why not `client.chat.completions.create`: for a small completion the SDK's
 * request path was a quarter of the gateway's CPU — it merges and validates every header
 * again per request and formats its debug details even with logging off — and here the
 * headers are built once. Failures are the SDK's own error classes (`APIError.generate` for
 * an HTTP error, as the SDK makes them), so the adapter maps them as before.
 */
export function directChatCompletions(client: OpenAI, fetch: ProviderFetch): CompleteChat {
  const send = directSend(client, fetch)
  return async (params, signal) => {
    const { response, release } = await send(params, signal)
    try {
      return (await response.json()) as Completion
    } finally {
      release()
    }
  }
}

/**
 * Streaming chat completions sent the same way (see `directChatCompletions`): the SDK's
 * request path was 5–8% of a streaming gateway's CPU. The caller reads the body.
 */
export function directChatStream(client: OpenAI, fetch: ProviderFetch): StreamChat {
  return directSend(client, fetch)
}

function directSend(client: OpenAI, fetch: ProviderFetch): Send {
  const url = `${client.baseURL.replace(/\/+$/, '')}/chat/completions`
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/json',
    authorization: `Bearer ${client.apiKey}`,
  }
  if (client.organization) headers['openai-organization'] = client.organization
  if (client.project) headers['openai-project'] = client.project

  return async (params, signal) => {
    if (signal?.aborted) throw new APIUserAbortError()
    // The SDK's timeout: it bounds the wait for the response's headers.
    const controller = new AbortController()
    const abort = () => controller.abort()
    signal?.addEventListener('abort', abort, { once: true })
    // Until the body is read, the caller going away still cancels the request.
    const release = () => signal?.removeEventListener('abort', abort)
    const timer = setTimeout(abort, client.timeout)
    let response: ProviderResponse
    try {
      response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify(params),
        signal: controller.signal,
      })
    } catch (error) {
      release()
      if (signal?.aborted) throw new APIUserAbortError()
      if (controller.signal.aborted) throw new APIConnectionTimeoutError()
      throw new APIConnectionError({ cause: error instanceof Error ? error : undefined })
    } finally {
      clearTimeout(timer)
    }
    if (!response.ok) {
      try {
        const text = await response.text().catch(() => '')
        const body = parsed(text)
        throw APIError.generate(
          response.status,
          body,
          body === undefined ? text : undefined,
          response.headers,
        )
      } finally {
        release()
      }
    }
    return { response, release }
  }
}

function parsed(text: string): object | undefined {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
