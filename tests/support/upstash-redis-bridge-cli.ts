import { startUpstashRedisBridge } from './upstash-redis-bridge.ts'

/**
 * Runs the Upstash REST bridge in front of the machine's Redis so the real @upstash/redis
 * client can be used locally: `npx tsx tests/support/upstash-redis-bridge-cli.ts`.
 * Environment: UPSTASH_BRIDGE_PORT (default 8079), UPSTASH_BRIDGE_TOKEN (default random),
 * REDIS_HOST / REDIS_PORT (default 127.0.0.1:6379). Stops on SIGINT / SIGTERM.
 */
const bridge = await startUpstashRedisBridge({
  port: Number(process.env.UPSTASH_BRIDGE_PORT ?? 8079),
  ...(process.env.UPSTASH_BRIDGE_TOKEN ? { token: process.env.UPSTASH_BRIDGE_TOKEN } : {}),
})

console.log(`UPSTASH_REDIS_REST_URL=${bridge.url}`)
console.log(`UPSTASH_REDIS_REST_TOKEN=${bridge.token}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    bridge.close().then(() => process.exit(0))
  })
}
