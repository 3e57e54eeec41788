import { RegExpRouter } from 'hono/router/reg-exp-router'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'

describe("the app's route table", () => {
  // Hono picks its one-regular-expression router when every route fits it, and otherwise
  // walks a tree for every request, which was measurable on each gateway call. A route with a
  // parameter where a sibling has a fixed name (`/memory/:id/delete` beside
  // `/memory/delete-all`) is what pushed it to the tree.
  it("fits Hono's regular-expression router", async () => {
    const app = createApp({ platform: { runtime: 'node', hasFileSystem: false } })
    const router = new RegExpRouter<unknown>()
    for (const route of app.routes) router.add(route.method, route.path, route.handler)
    // The router compiles its expressions on the first match, and refuses there.
    expect(() => router.match('POST', '/v1/chat/completions')).not.toThrow()
    // And the app itself settled on it, after a first request.
    await app.request('/healthz')
    expect(app.router.name).toContain('RegExpRouter')
    expect((app.router as unknown as { activeRouter?: { name: string } }).activeRouter?.name).toBe(
      'RegExpRouter',
    )
  })
})
