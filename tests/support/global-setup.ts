import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

/**
 * Runs once before every suite: builds public/vendor/ (htmx), which a fresh clone does not
 * have and which the static-file scenarios and every runtime entry serve.
 */
export default function globalSetup() {
  const root = join(import.meta.dirname, '..', '..')
  execFileSync(process.execPath, [join(root, 'scripts', 'copy-vendor.mjs')], { stdio: 'ignore' })
}
