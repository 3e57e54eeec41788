import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const src = join(root, 'src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : []
  })
}

// Code that ties a file to one runtime: touching its globals (`process.env`, `Bun.serve`,
// `typeof Deno`, `globalThis.process`) or importing its modules (`node:fs`, `cloudflare:sockets`,
// `bun`). Product names in prose and labels ("runs on Bun") are fine.
const runtimeSpecific =
  /\b(process|Bun|Deno)\s*(\?\.|\.|\[)|typeof\s+(process|Bun|Deno)\b|globalThis\s*\.\s*(process|Bun|Deno)\b|['"`](node|cloudflare):|from\s+['"`]bun['"`]/

describe('architecture', () => {
  const files = sourceFiles(src)

  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(10)
  })

  it('keeps everything outside src/runtime/ runtime-neutral', () => {
    const offenders = files
      .filter((file) => !relative(src, file).startsWith('runtime'))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${relative(root, file)}:${i + 1}` }))
          .filter(({ line }) => runtimeSpecific.test(line))
          .map(({ line, at }) => `${at}: ${line.trim()}`),
      )
    expect(offenders).toEqual([])
  })

  it('keeps hono out of src/core/', () => {
    const offenders = files
      .filter((file) => relative(src, file).startsWith('core'))
      .filter((file) => /from ['"]hono/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file))
    expect(offenders).toEqual([])
  })

  it('uses explicit extensions on relative imports (Deno needs them)', () => {
    const offenders = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/from ['"](\.{1,2}\/[^'"]+)['"]/g)]
        .map((match) => match[1] ?? '')
        .filter((specifier) => !/\.(ts|tsx|js|json)$/.test(specifier))
        .map((specifier) => `${relative(root, file)}: ${specifier}`),
    )
    expect(offenders).toEqual([])
  })

  it('has no default exports outside the Workers entry', () => {
    const offenders = files
      .filter((file) => !file.endsWith(join('runtime', 'workers.ts')))
      .filter((file) => /^export default /m.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file))
    expect(offenders).toEqual([])
  })
})

describe('the runtime-specific pattern', () => {
  it.each([
    'const port = process.env.PORT',
    "if (typeof Deno !== 'undefined') {}",
    'Bun.serve({ fetch })',
    "import { readFile } from 'node:fs/promises'",
    "import { connect } from 'cloudflare:sockets'",
    'const env = globalThis.process',
    "import { SQL } from 'bun'",
    'process?.exit(1)',
  ])('catches %s', (line) => {
    expect(runtimeSpecific.test(line)).toBe(true)
  })

  it.each(["bun: 'Bun',", '// lost on restart of the process', "label: 'Deno Deploy'"])(
    'allows %s',
    (line) => {
      expect(runtimeSpecific.test(line)).toBe(false)
    },
  )
})

describe('bundle hygiene', () => {
  it("imports zod as a namespace (`import * as z`), which lets the bundler drop zod's locales", () => {
    // `import { z } from 'zod'` pulls every locale into the Workers bundle: 509 KB against
    // 148 KB minified, measured with wrangler's esbuild.
    const offenders = sourceFiles(src)
      .filter((file) =>
        /import\s+\{[^}]*\bz\b[^}]*\}\s+from\s+['"]zod['"]/.test(readFileSync(file, 'utf8')),
      )
      .map((file) => relative(root, file))
    expect(offenders).toEqual([])
  })
})

/**
 * The dependency graph between folders. A node is a folder under src/, except the files at the
 * top of src/ and src/core/, which are nodes of their own: the composition root
 * (core/services.ts) sits above every core folder, errors and configuration below them.
 */
function folderGraph(files: readonly string[]): Map<string, Set<string>> {
  const node = (file: string) => {
    const rel = relative(src, file).split(sep).join('/')
    const folder = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : ''
    return folder === '' || folder === 'core' ? rel : folder
  }
  const graph = new Map<string, Set<string>>()
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(/from ['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const from = node(file)
      const to = node(join(dirname(file), match[1] ?? ''))
      if (from === to) continue
      const edges = graph.get(from) ?? new Set<string>()
      edges.add(to)
      graph.set(from, edges)
    }
  }
  return graph
}

/** Every set of nodes that reach each other (Tarjan's strongly connected components). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const found: string[][] = []
  const visit = (v: string) => {
    index.set(v, index.size)
    low.set(v, index.get(v) as number)
    stack.push(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number))
      } else if (stack.includes(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number))
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
        component.push(w)
      }
      if (component.length > 1) found.push(component.sort())
    }
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v)
  return found
}

/** Which folders a folder may not depend on: dependencies point from surfaces down to core. */
const forbidden: [from: RegExp, to: RegExp, why: string][] = [
  [
    /^core\//,
    /^(routes|middleware|views|runtime)(\/|$)|^app(-env)?\.ts$/,
    'core is below the surfaces',
  ],
  [/^core\/.+\//, /^core\/(services|request-deps)\.ts$/, 'only surfaces use the composition root'],
  [/^views(\/|$)/, /^(routes|middleware|runtime)(\/|$)/, 'views are fragments, not handlers'],
  [/^middleware(\/|$)/, /^routes(\/|$)/, 'middleware runs before any route'],
  [/^routes(\/|$)/, /^runtime(\/|$)/, 'routes are runtime-neutral'],
  [
    /^routes\/(http|chat|socket|api|v1|docs)$/,
    /^routes$/,
    'surfaces do not reach up to the router',
  ],
  [
    /^routes\/http$/,
    /^routes\/(chat|socket|api|v1|docs)$/,
    'shared HTTP helpers serve every surface',
  ],
  [
    /^routes\/(chat|socket|api|v1)$/,
    /^routes\/(chat|socket|api|v1|docs)$/,
    'each surface stands alone',
  ],
]

describe('dependencies between folders', () => {
  const graph = folderGraph(sourceFiles(src))

  it('form no cycle: no two folders import each other, directly or around a loop', () => {
    expect(cycles(graph)).toEqual([])
  })

  it('point one way: from the surfaces down to core, never back', () => {
    const offenders = [...graph].flatMap(([from, edges]) =>
      [...edges].flatMap((to) =>
        forbidden
          .filter(([a, b]) => a.test(from) && b.test(to))
          .map(([, , why]) => `${from} -> ${to}: ${why}`),
      ),
    )
    expect(offenders).toEqual([])
  })

  it('start model work only through the gate (startModelWork), on every surface', () => {
    const entries =
      /(?<![.\w])(sendMessage|regenerate|startAnswer|startCompletion|startCompletionRun)\(/
    const offenders = sourceFiles(src)
      .filter((file) => /^(routes|middleware|views)/.test(relative(src, file)))
      .filter((file) => entries.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file))
    expect(offenders).toEqual([])
  })

  it('finds a cycle and a wrong-way dependency when there is one', () => {
    const graph = new Map([
      ['core/a', new Set(['core/b'])],
      ['core/b', new Set(['core/a', 'views'])],
    ])
    expect(cycles(graph)).toEqual([['core/a', 'core/b']])
    expect(forbidden.some(([a, b]) => a.test('core/b') && b.test('views'))).toBe(true)
  })
})
