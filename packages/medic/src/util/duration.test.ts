import { describe, expect, it } from 'vitest'
import { UserError } from '../engine/errors.js'
import { parseDuration } from './duration.js'

describe('durations', () => {
  it('reads units, and a small bare number as seconds', () => {
    expect(parseDuration('500ms')).toBe(500)
    expect(parseDuration('5s')).toBe(5000)
    expect(parseDuration('1.5s')).toBe(1500)
    expect(parseDuration('10m')).toBe(600_000)
    expect(parseDuration('2h')).toBe(7_200_000)
    expect(parseDuration('3')).toBe(3000)
  })

  it('refuses garbage, zero, and a large bare number whose unit is a guess', () => {
    expect(() => parseDuration('soon', '--timeout')).toThrow('--timeout "soon" is not a duration')
    expect(() => parseDuration('0s')).toThrow(UserError)
    expect(() => parseDuration('2000', '--timeout')).toThrow('--timeout "2000" has no unit')
    // Timers cannot wait past ~24 days; a per-check deadline caps far lower.
    expect(() => parseDuration('30d', '--timeout', { maxMs: 3_600_000 })).toThrow('--timeout "30d" is too long')
    expect(parseDuration('1d', '--since')).toBe(86_400_000)
  })
})
