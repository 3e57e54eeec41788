/**
 * Parameters of the vendor APIs that are accepted and ignored, so existing clients work
 * unchanged; listed on the docs page and in the operations' descriptions.
 */
export const ignoredParameters = [
  'chat/completions: frequency_penalty, presence_penalty, logit_bias, logprobs, top_logprobs',
  'chat/completions: top_p, seed, response_format, parallel_tool_calls, service_tier, store',
  'chat/completions: metadata, modalities, audio, prediction, reasoning_effort, web_search_options',
  'chat/completions: functions, function_call (the legacy forms of tools and tool_choice)',
  'chat/completions: user (accepted; not used for routing or accounting)',
  'messages: top_p, top_k, metadata, service_tier, container, mcp_servers',
  'messages: cache_control on blocks and tools (no prompt caching)',
] as const

/** The ignored parameters of one endpoint, as a sentence for its OpenAPI description. */
export function ignoredNote(endpoint: 'chat/completions' | 'messages'): string {
  const names = ignoredParameters
    .filter((line) => line.startsWith(`${endpoint}: `))
    .map((line) => line.slice(endpoint.length + 2))
  return ` Accepted and ignored: ${names.join('; ')}.`
}
