import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createLuaShebangRewriter, stripUpstashScriptFlags } from './lua-shebang-rewriter.ts'

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex')

describe('Lua shebang rewriter', () => {
  it('removes only Upstash-only flags', () => {
    expect(stripUpstashScriptFlags('#!lua flags=allow-key-locking\nreturn 1')).toBe(
      '#!lua\nreturn 1',
    )
    expect(stripUpstashScriptFlags('#!lua flags=no-writes,allow-key-locking\nreturn 1')).toBe(
      '#!lua flags=no-writes\nreturn 1',
    )
    expect(stripUpstashScriptFlags('#!lua name=lib\nreturn 1')).toBe('#!lua name=lib\nreturn 1')
    expect(stripUpstashScriptFlags('return 1')).toBe('return 1')
  })

  it('translates EVALSHA hashes of rewritten scripts, and only those', () => {
    const rewriter = createLuaShebangRewriter()
    const script = '#!lua flags=allow-key-locking\nreturn 1'
    const unknown = 'a'.repeat(40)
    expect(rewriter.rewrite(['evalsha', sha1(script), '0']).command[1]).toBe(sha1(script))
    expect(rewriter.rewrite(['EVAL', script, '0']).command[1]).toBe('#!lua\nreturn 1')
    expect(rewriter.rewrite(['evalsha_ro', sha1(script).toUpperCase(), '0']).command[1]).toBe(
      sha1('#!lua\nreturn 1'),
    )
    expect(rewriter.rewrite(['evalsha', unknown, '0']).command[1]).toBe(unknown)
  })

  it('reports the original hash for SCRIPT LOAD', () => {
    const rewriter = createLuaShebangRewriter()
    const script = '#!lua flags=allow-key-locking\nreturn 2'
    const { command, loadedSha } = rewriter.rewrite(['script', 'load', script])
    expect(command[2]).toBe('#!lua\nreturn 2')
    expect(loadedSha).toBe(sha1(script))
    expect(rewriter.rewrite(['script', 'exists', sha1(script)]).command[2]).toBe(
      sha1('#!lua\nreturn 2'),
    )
  })
})
