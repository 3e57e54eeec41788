/** A fact's text as compared for duplicates: case, spacing, quotes and end punctuation ignored. */
export function normaliseFact(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The SHA-256 (hex) of the normalised text: the deterministic identity of a fact. */
export async function factHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(normaliseFact(text)),
  )
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * The record id of an owner's fact: the owner (escaped, so no owner's id can run into
 * another's) and the hash. The same fact upserted twice lands on the same record in every
 * store; pgvector also holds `(owner_id, hash)` unique.
 */
export function factId(ownerId: string, hash: string): string {
  return `fact:${encodeURIComponent(ownerId)}:${hash.slice(0, 40)}`
}
