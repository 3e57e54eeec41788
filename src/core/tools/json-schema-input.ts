import { Validator } from '@cfworker/json-schema'

/** The outcome of validating a tool's input: the value, or what is wrong with it. */
export type InputCheck = { ok: true; value: unknown } | { ok: false; issues: string[] }

/**
 * A tool input described by a JSON schema instead of zod (remote MCP tools). Validated by
 * `@cfworker/json-schema`, an interpreter: no code generation, so it runs on Workers too.
 */
export interface JsonSchemaInput {
  /** The schema the model is shown (an object schema). */
  jsonSchema: Record<string, unknown>
  validate(value: unknown): InputCheck
}

/** A `JsonSchemaInput` over `schema` (draft 2020-12 unless the schema names another). */
export function jsonSchemaInput(schema: Record<string, unknown>): JsonSchemaInput {
  const { $schema, ...shown } = schema
  const draft = typeof $schema === 'string' && $schema.includes('draft-07') ? '7' : '2020-12'
  const validator = new Validator(schema as never, draft, false)
  return {
    jsonSchema: shown,
    validate(value) {
      const result = validator.validate(value)
      if (result.valid) return { ok: true, value }
      // The innermost errors name the field; the outer ones only repeat "properties failed".
      const issues = result.errors
        .filter((e) => !['properties', 'allOf', 'anyOf', '$ref'].includes(e.keyword))
        .map((e) => `${e.instanceLocation.replace(/^#\/?/, '') || 'input'}: ${e.error}`)
      return {
        ok: false,
        issues: issues.length > 0 ? issues : ['input: does not match the schema'],
      }
    },
  }
}
