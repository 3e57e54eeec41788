/**
 * `npm run deploy`: one command from a checkout to a running Worker.
 *
 *   1. Preflight: the settings (environment, then each `--env-file`, later ones winning, plus
 *      the names of secrets the Worker already holds) are valid, and Upstash Redis, Upstash
 *      Vector, Neon and SESSION_SECRET are set, or `--accept-ephemeral` says that state may
 *      live only inside an isolate.
 *   2. Migrations: drizzle/history applied to DATABASE_URL over Neon's HTTP path (the path the
 *      Worker itself uses), idempotently.
 *   3. `wrangler deploy`: builds the bundle into dist/worker (see worker-bundle.ts), uploads it
 *      with public/ as Workers Assets, the given secrets (`--secrets-file`) and plain settings
 *      (`--var`). Arguments it does not know go to wrangler unchanged.
 *
 * `--dry-run` checks and builds but changes nothing: no migrations, no upload, no secret list.
 * `--migrate-only` stops after step 2 (migrate before a gradual rollout, say).
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { secretSettings } from '../src/core/config.ts'
import { settings } from '../src/core/config-settings.ts'
import { createNeonHttpDatabase } from '../src/core/memory/neon-http-database.ts'
import { migrateDatabase } from '../src/runtime/migrate-database.ts'
import { edgePreflight } from './edge-preflight.ts'
import { readEnvFile } from './env-file.ts'
import {
  bundleFile,
  deployOutdir,
  describeBundle,
  root,
  wranglerBin,
  wranglerDeployArgs,
} from './worker-bundle.ts'

// Settings that mean nothing on Workers (wrangler and the platform decide these).
const notForWorkers = new Set(['HOST', 'PORT', 'DATA_DIR'])

interface Options {
  dryRun: boolean
  acceptEphemeral: boolean
  skipMigrations: boolean
  migrateOnly: boolean
  envFiles: string[]
  outdir: string
  wrangler: string[]
}

function parseArgs(args: string[]): Options {
  const options: Options = {
    dryRun: false,
    acceptEphemeral: false,
    skipMigrations: false,
    migrateOnly: false,
    envFiles: [],
    outdir: deployOutdir,
    wrangler: [],
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ''
    if (arg === '--dry-run') options.dryRun = true
    else if (arg === '--accept-ephemeral') options.acceptEphemeral = true
    else if (arg === '--skip-migrations') options.skipMigrations = true
    else if (arg === '--migrate-only') options.migrateOnly = true
    else if (arg === '--env-file') options.envFiles.push(args[++i] ?? '')
    else if (arg === '--outdir') options.outdir = args[++i] ?? deployOutdir
    else if (arg === '--') options.wrangler.push(...args.slice(i + 1))
    else options.wrangler.push(arg)
    if (arg === '--') break
  }
  return options
}

/** Names of the secrets the deployed Worker holds; none when it does not exist yet. */
function secretsInWorker(wranglerArgs: string[]): Set<string> {
  const listed = spawnSync(
    process.execPath,
    [wranglerBin, 'secret', 'list', '--format', 'json', ...passThroughScope(wranglerArgs)],
    { cwd: root, encoding: 'utf8', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
  )
  try {
    const names = (JSON.parse(listed.stdout) as Array<{ name: string }>).map((s) => s.name)
    return new Set(names)
  } catch {
    return new Set()
  }
}

// `secret list` understands only the flags that pick the Worker.
function passThroughScope(args: string[]): string[] {
  const scope: string[] = []
  for (let i = 0; i < args.length; i++) {
    if (['--env', '-e', '--name', '--config', '-c'].includes(args[i] ?? '')) {
      scope.push(args[i] ?? '', args[i + 1] ?? '')
    }
  }
  return scope
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2))
  const known = Object.keys(settings)
  const values: Record<string, string> = {}
  for (const name of known) {
    const value = process.env[name]
    if (value) values[name] = value
  }
  for (const file of options.envFiles) {
    for (const [name, value] of Object.entries(readEnvFile(file))) {
      if (known.includes(name) && value) values[name] = value
    }
  }

  const offline = options.dryRun || options.migrateOnly
  const inWorker = offline ? new Set<string>() : secretsInWorker(options.wrangler)
  const report = edgePreflight(values, inWorker)
  console.log('Preflight for Cloudflare Workers')
  if (inWorker.size > 0) console.log(`  secrets already in the Worker: ${[...inWorker].join(', ')}`)
  for (const problem of report.problems) console.log(`  ✗ ${problem.variable}: ${problem.expected}`)
  for (const state of report.ephemeral) {
    console.log(`  ! ${state.settings.join(' + ')} not set: per isolate only, ${state.consequence}`)
  }
  for (const note of report.notes) console.log(`  · ${note}`)
  if (report.problems.length > 0) {
    console.error('Refusing to deploy an invalid configuration (values are never printed).')
    return 1
  }
  if (report.ephemeral.length > 0 && !options.acceptEphemeral) {
    console.error(
      'Set the missing settings (environment or --env-file), or pass --accept-ephemeral to deploy with that state living only inside isolates.',
    )
    return 2
  }
  if (report.ephemeral.length === 0) console.log('  ✓ every store is durable and shared')

  if (values.DATABASE_URL && !options.skipMigrations) {
    const where = new URL(values.DATABASE_URL)
    if (options.dryRun) {
      console.log(`Migrations: would apply drizzle/history to ${where.hostname}${where.pathname}`)
    } else {
      const db = createNeonHttpDatabase(values.DATABASE_URL, {
        fetchEndpoint: values.NEON_FETCH_ENDPOINT,
      })
      await migrateDatabase(db, { vector: false })
      console.log(`Migrations: drizzle/history applied to ${where.hostname}${where.pathname}`)
    }
  } else if (inWorker.has('DATABASE_URL') && !options.skipMigrations) {
    // Workers Builds (the Deploy button) sees the Worker's secrets by name only: say so, and
    // deploy, rather than fail a build the operator cannot give the value to.
    console.warn(
      'Migrations NOT applied: DATABASE_URL is only in the Worker. Give it here too (or as a Workers Builds variable), or run `npm run deploy -- --migrate-only` with it once.',
    )
  }
  if (options.migrateOnly) return 0

  // What the operator gave goes up with the deploy: secrets in a private file, the rest as vars.
  const secrets: Record<string, string> = {}
  const vars: string[] = []
  for (const [name, value] of Object.entries(values)) {
    if (notForWorkers.has(name)) continue
    if (secretSettings.has(name)) secrets[name] = value
    else vars.push('--var', `${name}:${value}`)
  }
  const scratch = mkdtempSync(join(tmpdir(), 'outpost-deploy-'))
  const extra = [...vars, ...options.wrangler]
  if (Object.keys(secrets).length > 0) {
    const file = join(scratch, 'secrets.json')
    writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 })
    extra.unshift('--secrets-file', file)
  }
  try {
    const args = wranglerDeployArgs({ outdir: options.outdir, dryRun: options.dryRun, extra })
    console.log(
      `wrangler ${wranglerDeployArgs({ outdir: options.outdir, dryRun: options.dryRun }).join(' ')} (+ ${Object.keys(secrets).length} secrets, ${vars.length / 2} vars)`,
    )
    const code = await new Promise<number>((done) => {
      const child = spawn(process.execPath, [wranglerBin, ...args], { cwd: root, stdio: 'inherit' })
      child.once('exit', (exitCode) => done(exitCode ?? 1))
    })
    if (code !== 0) return code
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
  const bundle = describeBundle(join(options.outdir, bundleFile))
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`
  console.log(`Bundle ${bundle.path}: ${kib(bundle.bytes)} minified, ${kib(bundle.gzipBytes)} gzip`)
  return 0
}

process.exitCode = await main()
