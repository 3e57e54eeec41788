// Loads `.env` from the working directory, if there is one, for `npm run start:node` and
// `start:deno` (Bun reads `.env` itself). Variables already set in the shell win, as with
// Bun; a missing file is not an error. Node: `--import`; Deno: `--preload`.
import { existsSync } from 'node:fs'
import process from 'node:process'

if (existsSync('.env')) {
  const shell = { ...process.env }
  process.loadEnvFile('.env')
  Object.assign(process.env, shell)
}
