import { describe, expect, it } from 'vitest'
import { plainCopy } from '../../src/core/memory/plain-copy.ts'

describe('plainCopy', () => {
  it('copies plain data deeply: changing the copy never changes the original', () => {
    const original = { type: 'text-delta', n: 1, ok: true, none: null, list: [{ a: [1, 2] }] }
    const copy = plainCopy(original)
    expect(copy).toEqual(original)
    copy.list[0]?.a.push(3)
    expect(original.list[0]?.a).toEqual([1, 2])
    expect(copy).not.toBe(original)
  })

  it('hands other objects to structuredClone and throws as it does for functions', () => {
    const at = new Date(5)
    const copy = plainCopy({ at, nested: new Map([['k', 1]]) })
    expect(copy.at).toEqual(at)
    expect(copy.at).not.toBe(at)
    expect(copy.nested.get('k')).toBe(1)
    expect(() => plainCopy({ f: () => 1 })).toThrow()
  })

  it('copies cyclic and very deep data through structuredClone past its depth', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' }
    cyclic.self = cyclic
    let deep: Record<string, unknown> = { leaf: true }
    for (let i = 0; i < 100; i++) deep = { child: deep }
    expect(() => plainCopy(cyclic)).not.toThrow()
    expect(JSON.stringify(plainCopy(deep))).toBe(JSON.stringify(deep))
  })
})
