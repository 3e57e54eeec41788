import { describe, expect, it } from 'vitest'
import { holdsSecret, redactSecrets } from '../../../src/core/facts/redact-secrets.ts'

describe('redactSecrets', () => {
  it.each([
    ['my key is sk-ant-api03-abcdefghijklmnopqrstuvwxyz', 'my key is [redacted]'],
    ['AWS AKIAABCDEFGHIJKLMNOP here', 'AWS [redacted] here'],
    ['token ghp_abcdefghijklmnopqrstuvwxyz0123', 'token [redacted]'],
    ['My password is c0rrect-h0rse! Nice.', 'My password is [redacted]! Nice.'],
    ['pin: 1234, then', 'pin: [redacted], then'],
    ['card 4111-1111-1111-1111 ok', 'card [redacted] ok'],
  ])('%s', (text, redacted) => {
    expect(redactSecrets(text)).toBe(redacted)
  })

  it('leaves numbers that are not cards, and ordinary words, alone', () => {
    // Sixteen digits failing Luhn: an order number, not a card.
    const order = 'Order 1234 5678 9012 3456 shipped; I like pine trees and tokens of love'
    expect(redactSecrets(order)).toBe(order)
    expect(holdsSecret(order)).toBe(false)
    expect(holdsSecret('the password is swordfish')).toBe(true)
  })
})
