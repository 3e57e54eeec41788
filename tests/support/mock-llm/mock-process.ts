import { type ChildProcess, spawn } from 'node:child_process'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..', '..', '..')

/**
 * The mock LLM in a process of its own (`cli.ts` on a free port), for benches that must not
 * count its CPU as the server's. Resolves with its URL once it listens.
 */
export async function startMockLlmProcess(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/support/mock-llm/cli.ts', '--port', '0'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const url = await new Promise<string>((ready, fail) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = chunk.toString().match(/listening on (\S+)/)
      if (match?.[1]) ready(match[1])
    })
    child.once('exit', (code) => fail(new Error(`mock LLM exited with ${code}`)))
  })
  return { url, child }
}
