import * as z from 'zod'
import { defineTool } from './tool.ts'

/**
 * `current_time`: the current date and time, in UTC or an IANA time zone. Models cannot know
 * the time; this is the canonical first tool.
 */
export const currentTimeTool = defineTool({
  name: 'current_time',
  description:
    'Returns the current date and time. Pass an IANA time zone such as "Europe/Paris" to get the local time there; the default is UTC.',
  input: z.object({
    timezone: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('IANA time zone, e.g. America/New_York'),
  }),
  execute({ timezone }, { now }) {
    const at = new Date(now())
    const zone = timezone ?? 'UTC'
    let format: Intl.DateTimeFormat
    try {
      format = new Intl.DateTimeFormat('en-GB', {
        timeZone: zone,
        dateStyle: 'full',
        timeStyle: 'long',
      })
    } catch {
      throw new Error(`Unknown time zone "${zone}"; use an IANA name such as Europe/Paris.`)
    }
    return { iso: at.toISOString(), timezone: zone, local: format.format(at), unixMs: at.getTime() }
  },
})
