/** One open WebSocket as the shutdown sees it. */
export interface OpenSocket {
  /**
   * Closes the socket with `code`, once the frames it is handling have handed their runs to the
   * background (so a `send` that arrived just before shutdown still starts its run).
   */
  close(code: number, reason: string): Promise<void>
}

/**
 * The WebSockets a server holds open. A process that shuts down closes them (1001, going
 * away) so they do not keep it alive; the runs they were following live on in the background
 * and a client resumes them elsewhere.
 */
export interface OpenSockets {
  /** Registers a socket; the returned function forgets it (call it when the socket closes). */
  add(socket: OpenSocket): () => void
  readonly size: number
  /** Closes every open socket and resolves once each has been asked to close. */
  closeAll(code: number, reason: string): Promise<void>
}

/** Creates an empty registry of open sockets. */
export function createOpenSockets(): OpenSockets {
  const open = new Set<OpenSocket>()
  return {
    add(socket) {
      open.add(socket)
      return () => open.delete(socket)
    },
    get size() {
      return open.size
    },
    async closeAll(code, reason) {
      const closing = [...open].map((socket) => socket.close(code, reason).catch(() => {}))
      open.clear()
      await Promise.all(closing)
    },
  }
}
