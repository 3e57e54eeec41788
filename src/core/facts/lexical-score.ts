import { conceptFamilies } from './concepts.ts'

// Words that say nothing about what a memory is about.
const stopWords = new Set(
  (
    'a an and are as at be but by can did do does for from had has have how i in is it its me my ' +
    'of on or our she he so that the their them they this to was we what when where which who ' +
    'why will with you your user users about tell know remember called named like most best any ' +
    'many much kind need there not get use go went one some am were been being into ' +
    'favourite favorite name names'
  ).split(' '),
)

/** What a match through a word's family is worth, against 1 for the word itself. */
const conceptMatch = 0.7

/** A word reduced to a crude stem, so "pets" meets "pet" and "living" meets "live". */
function stem(word: string): string {
  return word
    .replace(/'s$/, '')
    .replace(/(?:ing|ed|es|s)$/, '')
    .replace(/e$/, '')
}

// Each stemmed word of a family, to the family's name.
const conceptOf = new Map<string, string>()
for (const [concept, words] of Object.entries(conceptFamilies)) {
  for (const word of words) conceptOf.set(stem(word), concept)
}

/** The content words of `text`, stemmed. */
export function contentWords(text: string): Set<string> {
  const words = (text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? []).map((w) =>
    w.replace(/'s$|n't$|'$/, ''),
  )
  return new Set(words.filter((w) => w.length > 1 && !stopWords.has(w)).map(stem))
}

/**
 * The share (0..1) of the question's content words that `text` contains, itself or through a
 * word of the same family (`conceptFamilies`): exact terms (a name, a city) score even where
 * a vector blurs them, and "pets" finds "cat". 0 when the question has none.
 */
export function lexicalScore(question: string, text: string): number {
  const asked = contentWords(question)
  if (asked.size === 0) return 0
  const held = contentWords(text)
  const heldConcepts = new Set<string>()
  for (const word of held) {
    const concept = conceptOf.get(word)
    if (concept) heldConcepts.add(concept)
  }
  let found = 0
  for (const word of asked) {
    const concept = conceptOf.get(word)
    // The word itself counts fully; a word of its family, less (it may be another pet).
    if (held.has(word)) found += 1
    else if (concept && heldConcepts.has(concept)) found += conceptMatch
  }
  return found / asked.size
}
