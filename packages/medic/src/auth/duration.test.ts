// Durations and dates for people, including the absurd values untrusted tokens carry.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { humanDuration, isoOfSeconds, relative } from './duration.js'

const D = 86_400_000

describe('humanDuration', () => {
  it('two largest units, years from 365.25 d', () => {
    expect(humanDuration(3 * 3_600_000 + 12 * 60_000 + 5_000)).toBe('3 h 12 min')
    expect(humanDuration(2 * D + 4 * 3_600_000)).toBe('2 d 4 h')
    expect(humanDuration(400)).toBe('0 s')
    expect(humanDuration(-45_000)).toBe('45 s')
    expect(humanDuration(3 * 365.25 * D + 12 * D)).toBe('3 y 12 d')
  })

  it('caps at 1000 years; non-finite values too', () => {
    expect(humanDuration(1e33)).toBe('more than 1000 years')
    expect(humanDuration(-Infinity)).toBe('more than 1000 years')
    expect(humanDuration(Number.NaN)).toBe('more than 1000 years')
    expect(humanDuration(999 * 365.25 * D)).toBe('999 y')
    expect(relative(-1e33, 0)).toBe('more than 1000 years ago')
    expect(relative(1e33, 0)).toBe('in more than 1000 years')
  })

  it('never prints exponents, NaN or Infinity (fast-check)', () => {
    fc.assert(fc.property(fc.double(), (ms) => {
      expect(humanDuration(ms)).toMatch(/^(\d+ (y|d|h|min|s))( \d+ (d|h|min|s))?$|^more than 1000 years$/)
    }))
  })
})

describe('isoOfSeconds', () => {
  it('ISO dates for years 0000-9999, the raw number beyond', () => {
    expect(isoOfSeconds(0)).toBe('1970-01-01T00:00:00Z')
    expect(isoOfSeconds(253402300799)).toBe('9999-12-31T23:59:59Z')
    expect(isoOfSeconds(253402300800)).toBe('253402300800')
    expect(isoOfSeconds(-62167219200)).toBe('0000-01-01T00:00:00Z')
    expect(isoOfSeconds(-62167219201)).toBe('-62167219201')
    expect(isoOfSeconds(1e30)).toBe('1e+30')
    expect(isoOfSeconds(Infinity)).toBe('Infinity')
  })
})
