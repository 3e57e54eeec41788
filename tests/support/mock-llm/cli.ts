import { startMockLlm } from './index.ts'

/**
 * Runs the mock provider alone, for demos and benchmarks:
 *   npx tsx tests/support/mock-llm/cli.ts [--port 4010] [--host 127.0.0.1]
 * Without a script it answers every prompt deterministically.
 */
const args = process.argv.slice(2)
const option = (name: string) => {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? args[at + 1] : undefined
}

const mock = await startMockLlm({
  port: Number(option('port') ?? process.env.MOCK_LLM_PORT ?? 4010),
  host: option('host') ?? '127.0.0.1',
})
console.log(`mock LLM listening on ${mock.url}`)
console.log(`  OpenAI-compatible: OPENAI_BASE_URL=${mock.url}/v1 OPENAI_API_KEY=mock`)
console.log(`  Anthropic:         ANTHROPIC_BASE_URL=${mock.url} ANTHROPIC_API_KEY=mock`)

const stop = async () => {
  await mock.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
