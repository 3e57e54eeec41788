import { zValidator } from '@hono/zod-validator'
import { createMiddleware } from 'hono/factory'
import type { ZodType } from 'zod'
import { UnsupportedMediaTypeError, ValidationError } from '../../core/errors.ts'

const jsonMediaType = /^application\/([\w.-]+\+)?json$/i

/**
 * Validates a JSON request body against a zod schema. Wrong media type -> 415
 * `unsupported_media_type`; unparseable JSON -> 400 `invalid_json`; schema failure -> 400
 * `invalid_request` with each issue's path and message in `details`.
 */
export function jsonBody<T extends ZodType>(schema: T) {
  const validate = zValidator('json', schema, (result) => {
    if (!result.success) {
      throw new ValidationError('The request body does not match the expected shape', {
        details: result.error.issues.map((issue) => ({
          path: issue.path.join('.'),
          message: issue.message,
        })),
      })
    }
  })
  const readJson = createMiddleware(async (c, next) => {
    const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim() ?? ''
    if (!jsonMediaType.test(mediaType)) throw new UnsupportedMediaTypeError('application/json')
    try {
      // Parsed once here; Hono caches the body, so the validator below reuses it.
      await c.req.json()
    } catch (cause) {
      throw new ValidationError('The request body is not valid JSON', {
        code: 'invalid_json',
        cause,
      })
    }
    return validate(c, next)
  })
  return readJson as unknown as typeof validate
}

/** Validates query parameters against a zod schema; failures are 400 `invalid_request`. */
export function queryParams<T extends ZodType>(schema: T) {
  return zValidator('query', schema, (result) => {
    if (!result.success) {
      throw new ValidationError('The query parameters are invalid', {
        details: result.error.issues.map((issue) => ({
          path: issue.path.join('.'),
          message: issue.message,
        })),
      })
    }
  })
}
