/** Every secret starts with this, so scanners and people can tell an Outpost key. */
export const apiKeyPrefix = 'op_'
/** How many characters of the secret are kept as its display prefix. */
const displayChars = 10

/** A new random secret: the prefix and 32 random bytes in base64url (256 bits). */
export function newApiKeySecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  const encoded = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  return `${apiKeyPrefix}${encoded}`
}

/** The hex SHA-256 of a secret: what the store keeps and looks keys up by. */
export async function hashApiKey(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** The part of a secret safe to show: enough to recognise it, far too little to use it. */
export function displayPrefix(secret: string): string {
  return secret.slice(0, displayChars)
}
