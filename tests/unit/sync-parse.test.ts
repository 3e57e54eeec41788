import { z } from '@hono/zod-openapi'
import { describe, expect, it } from 'vitest'
import { parsedSynchronously } from '../../src/routes/http/sync-parse.ts'

describe('parsedSynchronously', () => {
  it('answers safeParseAsync as the schema does, issues included', async () => {
    const schema = parsedSynchronously(z.object({ n: z.number().min(1) }).loose())
    expect(await schema.safeParseAsync({ n: 2, extra: true })).toEqual({
      success: true,
      data: { n: 2, extra: true },
    })
    const failed = await schema.safeParseAsync({ n: 0 })
    expect(failed.success).toBe(false)
    expect(failed.error?.issues.map((issue) => issue.path)).toEqual([['n']])
  })

  it('still runs an async refinement, on the async path', async () => {
    const schema = parsedSynchronously(
      z.object({ name: z.string() }).refine(async (value) => value.name !== 'taken', 'taken'),
    )
    expect((await schema.safeParseAsync({ name: 'free' })).success).toBe(true)
    const failed = await schema.safeParseAsync({ name: 'taken' })
    expect(failed.error?.issues[0]?.message).toBe('taken')
  })
})
