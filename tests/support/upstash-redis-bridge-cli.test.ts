import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { serviceAvailable } from './services.ts'

const ok = await serviceAvailable('redis')
const cli = fileURLToPath(new URL('./upstash-redis-bridge-cli.ts', import.meta.url))

describe.skipIf(!ok)('Upstash Redis bridge CLI', () => {
  it('prints its URL and token, serves, and exits on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli], {
      env: { ...process.env, UPSTASH_BRIDGE_PORT: '0', UPSTASH_BRIDGE_TOKEN: 'cli-token' },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    try {
      let output = ''
      for await (const chunk of child.stdout) {
        output += String(chunk)
        if (output.includes('UPSTASH_REDIS_REST_TOKEN=')) break
      }
      const url = /UPSTASH_REDIS_REST_URL=(\S+)/.exec(output)?.[1]
      expect(output).toContain('UPSTASH_REDIS_REST_TOKEN=cli-token')
      const res = await fetch(`${url}/ping`, { headers: { authorization: 'Bearer cli-token' } })
      expect(await res.json()).toEqual({ result: 'PONG' })
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      const [code] = await exited
      expect(code).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})
