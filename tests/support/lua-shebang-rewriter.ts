import { createHash } from 'node:crypto'

/**
 * Stock Redis 7.0 rejects Upstash-only script flags (`#!lua flags=allow-key-locking`, which
 * @upstash/ratelimit 2.2 puts on every script). The rewriter strips those flags before a
 * script reaches Redis and remembers SHA1(original) -> SHA1(rewritten), so a later EVALSHA
 * with the hash the client computed from the original text finds the loaded script instead
 * of paying NOSCRIPT + EVAL on every call.
 */
export interface LuaShebangRewriter {
  /** Returns the command to send to Redis, and the original script hash for SCRIPT LOAD. */
  rewrite(command: readonly string[]): { command: string[]; loadedSha?: string }
}

const upstashOnlyFlags = new Set(['allow-key-locking'])

/** Removes Upstash-only flags from a script's shebang line; other flags are kept. */
export function stripUpstashScriptFlags(script: string): string {
  const shebang = /^#!lua([^\n]*)/.exec(script)
  if (!shebang) return script
  const options = (shebang[1] ?? '').replace(/flags=(\S*)/, (_whole, flags: string) => {
    const kept = flags.split(',').filter((flag) => flag !== '' && !upstashOnlyFlags.has(flag))
    return kept.length > 0 ? `flags=${kept.join(',')}` : ''
  })
  return `#!lua${options.trimEnd()}${script.slice(shebang[0].length)}`
}

function sha1(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex')
}

/** Creates a rewriter with its own hash map (one per bridge). */
export function createLuaShebangRewriter(): LuaShebangRewriter {
  const rewrittenSha = new Map<string, string>()

  function rewriteScript(script: string): string {
    const rewritten = stripUpstashScriptFlags(script)
    if (rewritten !== script) rewrittenSha.set(sha1(script), sha1(rewritten))
    return rewritten
  }
  const translate = (sha: string) => rewrittenSha.get(sha.toLowerCase()) ?? sha

  return {
    rewrite(command) {
      const args = [...command]
      const name = (args[0] ?? '').toLowerCase()
      if ((name === 'eval' || name === 'eval_ro') && args[1] !== undefined) {
        args[1] = rewriteScript(args[1])
      } else if ((name === 'evalsha' || name === 'evalsha_ro') && args[1] !== undefined) {
        args[1] = translate(args[1])
      } else if (name === 'script') {
        const sub = (args[1] ?? '').toLowerCase()
        if (sub === 'load' && args[2] !== undefined) {
          const original = args[2]
          args[2] = rewriteScript(original)
          return { command: args, loadedSha: sha1(original) }
        }
        if (sub === 'exists')
          for (let i = 2; i < args.length; i++) args[i] = translate(args[i] ?? '')
      }
      return { command: args }
    },
  }
}
