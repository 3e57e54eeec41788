import * as z from 'zod'
import { def, integer, usd } from './setting-definition.ts'

/** The settings of the limits and budgets (see core/limits), at the end of the README table. */
export const limitSettings = {
  LIMIT_RPM: def({
    schema: integer(0, 1_000_000),
    expects: 'an integer from 0 to 1000000',
    description:
      'Requests for model work per sliding minute, per API key or guest (unset: no limit; keys may override).',
  }),
  LIMIT_TPM: def({
    schema: integer(0, 1_000_000_000),
    expects: 'an integer from 0 to 1000000000',
    description:
      'Tokens (input estimate plus max_tokens, reserved before the run, settled after) per sliding minute.',
  }),
  LIMIT_CONCURRENT_RUNS: def({
    schema: integer(0, 10_000),
    expects: 'an integer from 0 to 10000',
    description: 'Runs going on at once per API key or guest.',
  }),
  LIMIT_USD_PER_DAY: def({
    schema: usd,
    expects: 'a number of US dollars, 0 or more',
    description: 'Spend per UTC day at the catalog prices; refused with 402 `budget_exhausted`.',
  }),
  LIMIT_USD_PER_MONTH: def({
    schema: usd,
    expects: 'a number of US dollars, 0 or more',
    description: 'Spend per UTC month at the catalog prices; refused with 402 `budget_exhausted`.',
  }),
  LIMIT_DEFAULT_MAX_TOKENS: def({
    schema: integer(1, 1_000_000),
    default: 1024,
    expects: 'an integer from 1 to 1000000',
    description: 'Output tokens reserved for requests that name no max_tokens (chat UI, REST).',
  }),
  LIMIT_ADDRESS_PER_MINUTE: def({
    schema: integer(0, 1_000_000),
    default: 60,
    expects: 'an integer from 0 to 1000000',
    description:
      'New guests and other state-creating requests without an identity, per client address per minute.',
  }),
  LIMITS_STORE_DOWN: def({
    schema: z.enum(['closed', 'open']),
    default: 'closed',
    expects: 'closed or open',
    description:
      'When the limit store fails: `closed` answers 503 `limits_unavailable`; `open` admits under a per-isolate cap.',
  }),
  LIMITS_FAIL_OPEN_RPM: def({
    schema: integer(0, 1_000_000),
    default: 10,
    expects: 'an integer from 0 to 1000000',
    description: 'With LIMITS_STORE_DOWN=open: requests per minute per caller each isolate admits.',
  }),
}
