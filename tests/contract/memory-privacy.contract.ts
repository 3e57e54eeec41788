import { describe, expect, it } from 'vitest'
import { recallMemories } from '../../src/core/facts/recall-memories.ts'
import { storeFact } from '../../src/core/facts/store-fact.ts'
import type { TextIndex } from '../../src/core/memory/text-index.ts'

let counter = 0
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${++counter}`

/**
 * What every semantic memory must guarantee about privacy, whoever stores it: one owner's
 * facts never reach another (by recall, by search, by listing, by deletion), and deleting a
 * conversation's memories deletes exactly those. `make` gives a fresh or shared index; ids and
 * owners are unique per test, so a shared one needs no cleanup between tests.
 */
export function memoryPrivacyContract(name: string, make: () => TextIndex | Promise<TextIndex>) {
  describe(`memory privacy: ${name}`, () => {
    const remember = async (
      semantic: TextIndex,
      ownerId: string,
      conversationId: string,
      text: string,
    ) =>
      storeFact(
        { semantic },
        { ownerId, conversationId, messageId: unique('m'), text, at: Date.now() },
      )

    it("never hands A's memories to B: recall, query and list all stay within the owner", async () => {
      const semantic = await make()
      const [ann, bob] = [unique('ann'), unique('bob')]
      await remember(semantic, ann, unique('c'), "The user's cat is called Miso")
      await remember(semantic, ann, unique('c'), 'The user lives in Lisbon')
      const recalled = await recallMemories(
        { semantic },
        { ownerId: bob, question: 'What is my cat called?' },
      )
      expect(recalled).toEqual([])
      expect(await semantic.query('cat called Miso', { filter: { owner: bob } })).toEqual([])
      expect(await semantic.list({ owner: bob })).toEqual([])
      // The same text stored by B is B's own record, not a duplicate of A's.
      expect(await remember(semantic, bob, unique('c'), "The user's cat is called Miso")).toBe(
        'added',
      )
      expect((await semantic.list({ owner: ann })).map((m) => m.metadata.owner)).toEqual([ann, ann])
      expect((await semantic.list({ owner: bob })).map((m) => m.metadata.text)).toEqual([
        "The user's cat is called Miso",
      ])
      const annRecall = await recallMemories(
        { semantic },
        { ownerId: ann, question: 'What is my cat called?' },
      )
      expect(annRecall.map((m) => m.text)).toEqual(["The user's cat is called Miso"])
    })

    it("deleting one conversation's memories leaves the owner's others and B's alone", async () => {
      const semantic = await make()
      const [ann, bob, gone, kept] = [unique('ann'), unique('bob'), unique('gone'), unique('kept')]
      await remember(semantic, ann, gone, "The user's dog is called Rex")
      await remember(semantic, ann, gone, 'The user works as a nurse')
      await remember(semantic, ann, kept, 'The user is allergic to peanuts')
      await remember(semantic, bob, gone, "The user's dog is called Rex")
      expect(await semantic.delete({ filter: { owner: ann, conversationId: gone } })).toBe(2)
      expect((await semantic.list({ owner: ann })).map((m) => m.metadata.conversationId)).toEqual([
        kept,
      ])
      expect(await semantic.list({ owner: bob })).toHaveLength(1)
      const recalled = await recallMemories(
        { semantic },
        { ownerId: ann, question: 'What is my dog called?' },
      )
      expect(recalled).toEqual([])
    })

    it('keeps one record per fact: the same fact again is a duplicate, a rewording updates it', async () => {
      const semantic = await make()
      const ann = unique('ann')
      const c = unique('c')
      expect(await remember(semantic, ann, c, "The user's cat is called Miso")).toBe('added')
      expect(await remember(semantic, ann, c, "the user's cat is called miso!")).toBe('duplicate')
      expect(await remember(semantic, ann, c, "The user's cat is named Miso")).toBe('updated')
      const listed = await semantic.list({ owner: ann })
      expect(listed.map((m) => m.metadata.text)).toEqual(["The user's cat is named Miso"])
      expect(listed[0]?.metadata).toMatchObject({ kind: 'fact', conversationId: c })
      expect(listed[0]?.metadata.messageId).toMatch(/^m-/)
      // Close but different: both kept.
      expect(await remember(semantic, ann, c, 'The user is allergic to peanuts')).toBe('added')
      expect(await remember(semantic, ann, c, 'The user is allergic to shellfish')).toBe('added')
      expect(await semantic.list({ owner: ann })).toHaveLength(3)
    })
  })
}
