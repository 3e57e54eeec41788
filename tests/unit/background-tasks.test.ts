import { describe, expect, it } from 'vitest'
import { createBackgroundTasks } from '../../src/runtime/background-tasks.ts'

const deferred = () => {
  let resolve!: () => void
  let reject!: (error: unknown) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('createBackgroundTasks', () => {
  it('tracks promises until they settle, rejected ones included', async () => {
    const tasks = createBackgroundTasks()
    const a = deferred()
    const b = deferred()
    tasks.waitUntil(a.promise)
    tasks.waitUntil(b.promise)
    expect(tasks.pending).toBe(2)
    a.resolve()
    b.reject(new Error('boom'))
    expect(await tasks.drain(1000)).toBe(0)
    expect(tasks.pending).toBe(0)
  })

  it('drain waits for work added while draining', async () => {
    const tasks = createBackgroundTasks()
    const first = deferred()
    const second = deferred()
    tasks.waitUntil(
      first.promise.then(() => {
        tasks.waitUntil(second.promise)
      }),
    )
    const drained = tasks.drain(1000)
    first.resolve()
    await Promise.resolve()
    setTimeout(() => second.resolve(), 5)
    expect(await drained).toBe(0)
  })

  it('drain gives up after the timeout and says how many are left', async () => {
    const tasks = createBackgroundTasks()
    tasks.waitUntil(new Promise(() => {}))
    expect(await tasks.drain(10)).toBe(1)
  })
})
