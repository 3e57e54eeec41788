/**
 * The request Outpost sends the fast tier to extract facts: a marker line, then the user's
 * turns as JSON (so no turn can close a delimiter or pose as an instruction). Kept beside the
 * text helpers, apart from the extraction itself, so the demo model can answer it without the
 * model folder depending on the facts folder.
 */
export const factExtractionMarker = '[outpost:extract-facts v1]'

/** The user message of an extraction request for these turns (oldest first). */
export function factExtractionRequest(turns: readonly string[]): string {
  return `${factExtractionMarker}\n${JSON.stringify({ turns })}`
}

/** The turns of an extraction request, or undefined when `text` is not one. */
export function parseFactExtractionRequest(text: string): string[] | undefined {
  if (!text.startsWith(factExtractionMarker)) return undefined
  try {
    const body = JSON.parse(text.slice(factExtractionMarker.length)) as { turns?: unknown }
    if (!Array.isArray(body.turns)) return undefined
    return body.turns.filter((turn): turn is string => typeof turn === 'string')
  } catch {
    return undefined
  }
}

// A durable statement about the speaker: who they are, what they have, like, do or need.
const aboutMe =
  /^(?:my |i am |i'm |i have |i've got |i live |i work |i like |i love |i prefer |i hate |i dislike |i'm allergic |i am allergic |i use |i speak |i was born |call me |i own |i study |i drive )/i

/** "live" → "lives", "watch" → "watches": the verb after "The user". */
function thirdPerson(verb: string): string {
  const lower = verb.toLowerCase()
  if (/(?:s|sh|ch|x|o)$/.test(lower)) return `${lower}es`
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`
  return `${lower}s`
}

/**
 * Facts a rule can see in the user's turns: first-person statements (not questions), recast
 * in the third person. What the demo model answers an extraction request with, and what the
 * test mock answers: deterministic, so tests can say exactly what must be stored.
 */
export function firstPersonFacts(turns: readonly string[]): { text: string; turn: number }[] {
  const facts: { text: string; turn: number }[] = []
  turns.forEach((turn, index) => {
    for (const raw of turn.split(/(?<=[.!?])\s+|\n+/)) {
      const sentence = raw.trim()
      if (sentence.endsWith('?') || !aboutMe.test(sentence)) continue
      const text = sentence
        .replace(/[.!]+$/, '')
        .replace(/^my /i, "The user's ")
        .replace(/^(?:i am|i'm) /i, 'The user is ')
        .replace(/^call me /i, 'The user is called ')
        .replace(/^i've got /i, 'The user has ')
        .replace(/^i have /i, 'The user has ')
        .replace(/^i (\w+)/i, (_all, verb: string) => `The user ${thirdPerson(verb)}`)
        .replace(/\b(?:my)\b/gi, 'their')
      facts.push({ text, turn: index })
    }
  })
  return facts
}
