import { connect, type Socket } from 'node:net'
import { encodeCommand, RespParser, type RespReply } from './resp.ts'

/** One command: its name and arguments as bytes or UTF-8 text. */
export type RedisCommand = readonly (string | Buffer)[]

/**
 * A few TCP connections to a real Redis, each used by one exchange at a time. An exchange
 * writes a batch of commands in one go (RESP pipelining) and resolves with one reply per
 * command. Connections whose state a batch may have changed (SELECT, WATCH, an unfinished
 * MULTI...) are closed instead of reused, so no request sees another's leftovers.
 */
export interface RedisConnectionPool {
  exchange(
    commands: readonly RedisCommand[],
    options?: { reusable?: boolean },
  ): Promise<RespReply[]>
  close(): void
}

class RedisConnection {
  private readonly parser = new RespParser()
  private pending:
    | {
        expected: number
        replies: RespReply[]
        resolve(r: RespReply[]): void
        reject(e: Error): void
      }
    | undefined
  alive = true

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('error', (error) => this.fail(error))
    socket.on('close', () => this.fail(new Error('Redis connection closed')))
  }

  exchange(commands: readonly RedisCommand[]): Promise<RespReply[]> {
    return new Promise((resolve, reject) => {
      this.pending = { expected: commands.length, replies: [], resolve, reject }
      this.socket.write(Buffer.concat(commands.map((command) => encodeCommand(command))))
    })
  }

  private onData(chunk: Buffer): void {
    let replies: RespReply[]
    try {
      replies = this.parser.push(chunk)
    } catch (error) {
      this.fail(error as Error)
      this.socket.destroy()
      return
    }
    const pending = this.pending
    if (!pending) return
    pending.replies.push(...replies)
    if (pending.replies.length >= pending.expected) {
      this.pending = undefined
      pending.resolve(pending.replies)
    }
  }

  private fail(error: Error): void {
    this.alive = false
    const pending = this.pending
    this.pending = undefined
    pending?.reject(error)
  }
}

function open(host: string, port: number): Promise<RedisConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port })
    socket.setNoDelay(true)
    socket.once('error', reject)
    socket.once('connect', () => {
      socket.off('error', reject)
      resolve(new RedisConnection(socket))
    })
  })
}

/** Creates a pool that opens connections lazily and keeps at most `maxIdle` of them idle. */
export function createRedisConnectionPool(options: {
  host: string
  port: number
  maxIdle?: number
}): RedisConnectionPool {
  const maxIdle = options.maxIdle ?? 16
  const idle: RedisConnection[] = []
  const all = new Set<RedisConnection>()
  let closed = false

  async function acquire(): Promise<RedisConnection> {
    for (let c = idle.pop(); c; c = idle.pop()) if (c.alive) return c
    const connection = await open(options.host, options.port)
    all.add(connection)
    connection.socket.once('close', () => all.delete(connection))
    return connection
  }

  return {
    async exchange(commands, { reusable = true } = {}) {
      if (closed) throw new Error('Redis connection pool is closed')
      const connection = await acquire()
      try {
        const replies = await connection.exchange(commands)
        if (reusable && !closed && connection.alive && idle.length < maxIdle) idle.push(connection)
        else connection.socket.destroy()
        return replies
      } catch (error) {
        connection.socket.destroy()
        throw error
      }
    },
    close() {
      closed = true
      idle.length = 0
      for (const connection of all) connection.socket.destroy()
      all.clear()
    },
  }
}
