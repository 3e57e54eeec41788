/**
 * A store whose backing is made on its first call: every method waits for `make`, then calls
 * the made store's method. Concurrent first calls share one `make`; a failed one is forgotten,
 * so the next call tries again (a database that was down at the first request is opened by a
 * later one). Only for interfaces whose methods all return promises, as every store's do.
 */
export function lazyStore<T extends object>(make: () => Promise<T>): T {
  let made: Promise<T> | undefined
  const store = () => {
    if (!made) {
      const making = make()
      making.catch(() => {
        if (made === making) made = undefined
      })
      made = making
    }
    return made
  }
  const methods = new Map<PropertyKey, unknown>()
  return new Proxy({} as T, {
    get(_target, name) {
      // Not a thenable: `await lazyStore(...)` must not call `then` on the made store.
      if (name === 'then') return undefined
      let method = methods.get(name)
      if (!method) {
        method = async (...args: unknown[]) => {
          const target = (await store()) as Record<PropertyKey, (...a: unknown[]) => unknown>
          return target[name]?.(...args)
        }
        methods.set(name, method)
      }
      return method
    },
  })
}
