/** The needle pre-check of known-error matching: the automaton answers exactly like the regex alternation. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ANY_NEEDLE, COMPILED, anyNeedle, matchKnown, needleAutomaton, needleMask } from './known-errors.js'

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

describe('the automaton in WebAssembly', () => {
  it('is there (dist/logs-scan.wasm built) and answers as the JavaScript one, needles at either half and across the middle', () => {
    const a = needleAutomaton()!
    expect(a.wasm, 'dist/logs-scan.wasm: run `npm run build`').not.toBeNull()
    const piece = fc.oneof(
      fc.constantFrom(...NEEDLES),
      fc.constantFrom(...NEEDLES).chain((n) => fc.nat(n.length - 1).map((k) => n.slice(0, k + 1))),
      fc.constantFrom(' ', 'x', '4', '29', 'é', '😀', '\uD800', 'ÿ', 'out', 'Conn', '\n', 'a'.repeat(40)),
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const text = parts.join('')
        expect(a.wasm!(text)).toBe(a.js(text))
        expect(needleMask(text)).toBe(a.js(text))
      }),
      { numRuns: 5000 },
    )
    // every needle at every offset of a 2 000-character text (both halves, the middle, the ends)
    for (const n of NEEDLES) {
      for (const at of [0, 999 - n.length, 999, 1000 - Math.floor(n.length / 2), 2000 - n.length]) {
        const text = 'x'.repeat(at) + n + 'y'.repeat(Math.max(0, 2000 - at - n.length))
        expect(a.wasm!(text)).toBe(a.js(text))
        expect(a.js(text)).not.toBe(0)
      }
    }
  })

  it('restarts at every byte of a non-ASCII character, as JavaScript restarts at the character', () => {
    const a = needleAutomaton()!
    // needle pieces around non-ASCII characters: a wrong restart leaves the automaton in a state the
    // text did not lead to, from which a piece may seem to finish a needle
    const piece = fc.oneof(
      fc.constantFrom(...NEEDLES).chain((n) => fc.nat(n.length - 1).map((k) => n.slice(0, k + 1))),
      fc.constantFrom(...NEEDLES).chain((n) => fc.nat(n.length - 1).map((k) => n.slice(k))),
      fc.constantFrom('é', 'ÿ', 'Ā', '😀', '\u0080', '\u00ff', 'ő'),
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
        const text = parts.join('')
        expect(a.wasm!(text)).toBe(a.js(text))
      }),
      { numRuns: 20_000 },
    )
  })

  it('leaves texts longer than its room to JavaScript', () => {
    const a = needleAutomaton()!
    const long = 'x'.repeat(400_000) + 'ECONNREFUSED'
    expect(a.wasm!(long)).toBeNull()
    expect(needleMask(long)).toBe(a.js(long))
    expect(needleMask(long)).not.toBe(0)
  })
})
