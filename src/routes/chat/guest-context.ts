import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AppEnv } from '../../app-env.ts'
import type { ChatDeps } from '../../core/chat/chat-deps.ts'
import { AppError } from '../../core/errors.ts'
import { type ModelCatalog, tiers } from '../../core/models/model-catalog.ts'
import { chatDeps } from '../../core/request-deps.ts'
import type { ModelOptions } from '../../views/composer.tsx'
import type { PageNotices } from '../../views/layout.tsx'

/** What every chat page and action needs from the request. */
export interface GuestContext {
  ownerId: string
  csrfToken: string
  notices: PageNotices
  deps: ChatDeps
  /** An htmx request (wants fragments), rather than a plain browser navigation. */
  htmx: boolean
  /** The composer's model picker: the tiers that have a model, and every configured model. */
  models: ModelOptions
}

/** The guest's identity and the chat dependencies; the guest-identity middleware must run first. */
export function guestContext(c: Context<AppEnv>): GuestContext {
  const principal = c.var.principal
  const guest = c.var.guest
  if (!principal || !guest) {
    // A wiring mistake, not a client error: these routes are always behind guestIdentity.
    throw new AppError('guest_identity_missing', 'No guest identity', { status: 500 })
  }
  const services = c.var.services
  return {
    ownerId: principal.userId,
    csrfToken: guest.csrfToken,
    notices: { demoModel: services.models.catalog.demo, ephemeralSession: guest.ephemeral },
    deps: chatDeps(services),
    htmx: c.req.header('HX-Request') === 'true',
    models: modelOptions(services.models.catalog),
  }
}

/** Hono JSX (sync or async) as a string. */
export async function renderToString(node: unknown): Promise<string> {
  return String(await (node as { toString(): unknown }).toString())
}

/** A full page, in standards mode: the doctype, then the rendered layout. */
export async function htmlPage(c: Context<AppEnv>, node: unknown, status?: ContentfulStatusCode) {
  return c.html(`<!doctype html>${await renderToString(node)}`, status)
}

/** The picker's choices from the catalog (the demo model, when it is all there is, too). */
function modelOptions(catalog: ModelCatalog): ModelOptions {
  return {
    tiers: tiers.filter((tier) => catalog.tiers[tier].length > 0),
    models: catalog.entries().map((entry) => entry.id),
  }
}
