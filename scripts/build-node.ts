// `npm run build:node`: builds dist/node/server.mjs (git-ignored): the Node entry, src/runtime/node.ts, with the app's
// own TypeScript and the packages it uses bundled into one ES module, so the serving process
// runs plain JS.
//
// Why: run through `tsx`, the Node server carried the loader for its whole life (a hooks thread
// with its own heap, and every one of the app's modules compiled through it at start): about
// 130 MB more resident memory than this bundle on the gateway bench, for no work once started.
// The packages are in the bundle too: loaded from node_modules, their hundreds of ES modules
// (each found, read, compiled and linked on its own) made most of Node's start: 2.3 s from
// spawn to the first completion, against 0.86-1.0 s bundled (idle RSS 106 MB, was 140).
//
// The embedded database stays external: PGlite finds its WebAssembly and data files next to
// its own. Bundled CommonJS packages get a `require` of their own (the banner) for Node's
// built-in modules. The bundle sits two folders below the root like its entry, so
// `new URL('../../drizzle/...', import.meta.url)` still names the migrations.
// `npm run start:node` builds it first; the runtime tests' startRuntime('node') too.
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * Bundles the entry of the checkout at `checkout` (this one unless told) into its dist/node and
 * returns the bundle's path. Each file is written aside and renamed into place, so test files
 * building at once never start a server from a half-written bundle.
 */
export async function buildNodeBundle(checkout = root): Promise<string> {
  const outfile = join(checkout, 'dist', 'node', 'server.mjs')
  const { outputFiles } = await build({
    absWorkingDir: checkout,
    entryPoints: [join(checkout, 'src', 'runtime', 'node.ts')],
    outfile,
    bundle: true,
    external: ['@electric-sql/pglite', '@electric-sql/pglite/*', '@electric-sql/pglite-pgvector'],
    banner: {
      js: "import { createRequire as outpostCreateRequire } from 'node:module'; const require = outpostCreateRequire(import.meta.url);",
    },
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Stack traces name the TypeScript lines when Node runs with --enable-source-maps. Without
    // the sources' text in it (only the mappings, which is all a stack trace reads): Node keeps
    // the map it loads, and with every package's sources that was 47 MB more at idle.
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    write: false,
  })
  await mkdir(dirname(outfile), { recursive: true })
  for (const file of outputFiles) {
    const aside = `${file.path}.${process.pid}.tmp`
    await writeFile(aside, file.contents)
    await rename(aside, file.path)
  }
  return outfile
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildNodeBundle()
