/**
 * Every error code a client can see, in one list: `AppError.code` is typed by it, so a new
 * code is added here (and shows up in the docs) or does not compile. Clients branch on these.
 */
export const errorCodes = [
  // Requests
  'invalid_request',
  'bad_request',
  'invalid_json',
  'invalid_cursor',
  'field_missing',
  'unsupported_value',
  'unsupported_encoding',
  'text_invalid',
  'json_too_deep',
  'input_rejected',
  'not_found',
  'method_not_allowed',
  'payload_too_large',
  'unsupported_media_type',
  'request_timeout',
  'http_error',
  // Identity and limits
  'unauthorized',
  'forbidden',
  'origin_forbidden',
  'csrf_token_invalid',
  'csrf_origin_invalid',
  'rate_limited',
  'too_many_runs',
  // Chat and runs
  'message_empty',
  'message_too_long',
  'model_invalid',
  'model_unknown',
  'title_empty',
  'nothing_to_regenerate',
  'run_not_live',
  'run_not_started',
  // WebSocket
  'invalid_frame',
  'unknown_frame_type',
  'frame_too_large',
  'upgrade_required',
  'upgrade_failed',
  // Models
  'provider_rate_limited',
  'provider_overloaded',
  'provider_unavailable',
  'provider_timeout',
  'provider_network',
  'provider_bad_response',
  'provider_auth',
  'provider_bad_request',
  'provider_not_found',
  'provider_error',
  'provider_aborted',
  'no_candidate',
  'context_length_exceeded',
  // Tools
  'tool_duplicate',
  'invalid_expression',
  // Stores
  'store_unavailable',
  'store_unauthorized',
  'store_misconfigured',
  'store_malformed_response',
  'store_command_failed',
  'store_constraint',
  'store_failed',
  'kv_invalid_argument',
  'kv_wrong_type',
  'vector_invalid_argument',
  'vector_dimension_mismatch',
  'vector_dimension_unsupported',
  'embedder_unavailable',
  'embedder_failed',
  'embedder_dimension_mismatch',
  // The server
  'config_invalid',
  'injection_blocked',
  'metrics_forbidden',
  'embedded_database_busy',
  'guest_identity_missing',
  'internal_error',
] as const

/** A stable error code (see `errorCodes`). */
export type ErrorCode = (typeof errorCodes)[number]
