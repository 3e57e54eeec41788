// Copies htmx 4 and its SSE extension from node_modules into public/vendor/ (git-ignored),
// so the app serves them from its own origin under a strict CSP. Run by start, dev and
// wrangler's build; plain Node with no dependencies so every runtime's start can call it.
import { copyFile, mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const source = join(root, 'node_modules', 'htmx.org', 'dist')
const target = join(root, 'public', 'vendor')

const files = [
  ['htmx.min.js', 'htmx.min.js'],
  [join('ext', 'hx-sse.min.js'), 'hx-sse.min.js'],
]

await mkdir(target, { recursive: true })
for (const [from, to] of files) await copyFile(join(source, from), join(target, to))
console.log(`copied ${files.length} htmx files to public/vendor/`)
