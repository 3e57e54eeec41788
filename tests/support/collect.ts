/** Drains an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

/** Drains an async iterable, returning what arrived before it threw, and the error. */
export async function collectUntilError<T>(
  items: AsyncIterable<T>,
): Promise<{ events: T[]; error: unknown }> {
  const events: T[] = []
  try {
    for await (const item of items) events.push(item)
  } catch (error) {
    return { events, error }
  }
  return { events, error: undefined }
}
