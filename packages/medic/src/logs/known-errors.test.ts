/** The needle pre-check of known-error matching: the automaton answers exactly like the regex alternation. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ANY_NEEDLE, COMPILED, anyNeedle, matchKnown, needleMask } from './known-errors.js'

const NEEDLES = COMPILED.flatMap((k) => k.needles)

describe('anyNeedle', () => {
  it('finds each needle alone, inside text, after non-ASCII, and not a cut-off one', () => {
    for (const n of NEEDLES) {
      expect(anyNeedle(n)).toBe(true)
      expect(anyNeedle(`é ${n.slice(0, 1)}x ${n} 😀`)).toBe(true)
      expect(anyNeedle(n.slice(0, -1))).toBe(ANY_NEEDLE.test(n.slice(0, -1)))
    }
    expect(anyNeedle('')).toBe(false)
    expect(anyNeedle('all fine here, 200 OK')).toBe(false)
  })
  it('agrees with the regex alternation on text built from needle pieces', () => {
    const piece = fc.oneof(
      fc.constantFrom(...NEEDLES).chain((n) => fc.tuple(fc.nat(n.length), fc.nat(n.length)).map(([a, b]) => n.slice(Math.min(a, b), Math.max(a, b) + 1))),
      fc.constantFrom(' ', 'e', 'E', '4', '2', '9', '\n', 'é', '😀', '"', '\\'),
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const text = parts.join('')
        expect(anyNeedle(text)).toBe(ANY_NEEDLE.test(text))
      }),
      { numRuns: 3000 },
    )
  })
  it('leaves matchKnown answering as before', () => {
    expect(matchKnown('connect ECONNREFUSED 127.0.0.1:6379')[0]?.detail).toBe('Redis at 127.0.0.1:6379')
    expect(matchKnown('nothing to see')).toEqual([])
  })
})

describe('needleMask', () => {
  it('sets the bit of exactly the signatures with a needle in the text', () => {
    const piece = fc.oneof(fc.constantFrom(...NEEDLES), fc.constantFrom(' ', 'x', '4', '29', 'é', 'out', 'Conn'))
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const text = parts.join('')
        let want = 0
        COMPILED.forEach((k, i) => {
          if (k.needles.some((n) => text.includes(n))) want |= 1 << i
        })
        expect(needleMask(text)).toBe(want)
      }),
      { numRuns: 3000 },
    )
  })
})
