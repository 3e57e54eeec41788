import type { Anthropic } from '@anthropic-ai/sdk'
import { BaseAnthropic } from '@anthropic-ai/sdk/client'
import { Messages } from '@anthropic-ai/sdk/resources/messages'
import { Models } from '@anthropic-ai/sdk/resources/models'

/** What Outpost calls on Anthropic's SDK: messages, and models for the readiness ping. */
export type AnthropicClient = Pick<Anthropic, 'messages' | 'models'>

/**
 * The SDK's own client with only the resources Outpost calls. The full `Anthropic` class
 * builds every resource the API has (beta, files, skills, organization, ...) and so pulls all
 * of them into the Workers bundle: 304 KB of its 2.4 MB minified, though never called. The
 * base class is the SDK's whole transport (auth, retries, timeouts, errors, logging), the same
 * one `Anthropic` extends.
 */
export class LeanAnthropic extends BaseAnthropic implements AnthropicClient {
  messages: Messages = new Messages(this)
  models: Models = new Models(this)
}
