import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { askedAtDeploy, cloudflareBindings, devVarsExample } from '../../scripts/config-files.ts'
import { parseEnvFile } from '../../scripts/env-file.ts'
import { settings } from '../../src/core/config-settings.ts'

const root = join(import.meta.dirname, '..', '..')
const read = (name: string) => readFileSync(join(root, name), 'utf8')

describe('settings files generated from config-settings.ts (npm run docs:config)', () => {
  it('.dev.vars.example lists every setting, and leaves the asked ones to fill in', () => {
    const example = read('.dev.vars.example')
    expect(example).toBe(devVarsExample())
    for (const name of Object.keys(settings))
      expect(example).toMatch(new RegExp(`^(# )?${name}=`, 'm'))
    expect(Object.keys(parseEnvFile(example))).toEqual(
      [...askedAtDeploy].sort(
        (a, b) => Object.keys(settings).indexOf(a) - Object.keys(settings).indexOf(b),
      ),
    )
  })

  it("package.json describes each value Cloudflare's Deploy button asks for", () => {
    const packageJson = JSON.parse(read('package.json')) as {
      cloudflare: { bindings: Record<string, { description: string }> }
    }
    expect(packageJson.cloudflare.bindings).toEqual(cloudflareBindings())
    expect(Object.keys(packageJson.cloudflare.bindings)).toEqual([...askedAtDeploy])
  })
})
