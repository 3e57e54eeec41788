import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../../app-env.ts'
import { UnauthorizedError } from '../../core/auth/unauthorized-error.ts'
import { ValidationError } from '../../core/errors.ts'

const targetNames: Record<string, string> = {
  json: 'request body',
  query: 'query parameters',
  param: 'path parameters',
  header: 'headers',
}

/**
 * An `OpenAPIHono` whose validation failures are our `ValidationError` (400, each issue's
 * path and message in `details`), so the error mapper renders them in the surface's format.
 */
export function createOpenApiApp(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ValidationError(`Invalid ${targetNames[result.target] ?? result.target}`, {
          details: result.error.issues.map((issue) => ({
            path: issue.path.join('.'),
            message: issue.message,
          })),
        })
      }
    },
  })
}

/** The authenticated user's id; the auth middleware guarantees one on these routes. */
export function ownerOf(c: Context<AppEnv>): string {
  const principal = c.get('principal')
  if (!principal) throw new UnauthorizedError()
  return principal.userId
}

/** The standard security requirement of every authenticated route. */
export const bearerSecurity = [{ bearer: [] }]
