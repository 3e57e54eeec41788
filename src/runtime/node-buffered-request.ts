/**
 * Answers a request's body and signal without building the web `Request` behind it, for a
 * request whose body `smallBodiesFirst` already read whole (`rawBody`). @hono/node-server
 * hands the app a light object that builds the real `Request` (undici's, with its `Headers`,
 * an `AbortController` and a web stream over the body) the first time the body or the signal
 * is asked for; on a `/v1` request at 50 clients that building was about 8% of the CPU. Here
 * `text`, `json` and `arrayBuffer` read the buffer (decoded as `Request.text()` does: UTF-8,
 * a leading BOM dropped, bad bytes replaced), each at most once, as a body is; and `signal`
 * aborts when the response closes before it finished, as the adapter's own does. Everything
 * else (`body`, `formData`, `clone`...) still builds the real request, over the same bytes.
 */
export function withBufferedBody(
  request: Request,
  incoming: { errored?: Error | null },
  outgoing: { once(event: 'close', listener: () => void): unknown; writableFinished: boolean },
): Request {
  const raw = (incoming as { rawBody?: unknown }).rawBody
  if (!(raw instanceof Buffer)) return request
  let used = false
  const take = (): Promise<Buffer> => {
    if (used) return Promise.reject(new TypeError('Body is unusable: Body has already been read'))
    used = true
    return Promise.resolve(raw)
  }
  const text = () => take().then((bytes) => decoder.decode(bytes))
  let controller: AbortController | undefined
  Object.defineProperties(request, {
    text: { value: text },
    json: { value: () => text().then(JSON.parse) },
    arrayBuffer: {
      value: () =>
        take().then((bytes) =>
          bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
        ),
    },
    bodyUsed: { get: () => used },
    signal: {
      get() {
        if (!controller) {
          const made = new AbortController()
          controller = made
          outgoing.once('close', () => {
            if (incoming.errored) made.abort(incoming.errored.toString())
            else if (!outgoing.writableFinished) made.abort('Client connection prematurely closed.')
          })
        }
        return controller.signal
      },
    },
  })
  return request
}

const decoder = new TextDecoder()
