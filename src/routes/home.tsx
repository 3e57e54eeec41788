import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { HomePage } from '../views/home-page.tsx'

/** `GET /`: the home page. */
export const homeRoutes = new Hono<AppEnv>().get('/', (c) => {
  const { runtime, stores } = c.var.services
  return c.html(<HomePage runtime={runtime} stores={stores} />)
})
