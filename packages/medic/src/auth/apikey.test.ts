// API-key shape analysis: what breaks keys in practice, reported without printing the key.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { UserError } from '../engine/errors.js'
import { analyzeApiKey, keyFromHeaderLine, keyShape } from './apikey.js'

const KEY = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'
const PATTERN = '^sk_(live|test)_[A-Za-z0-9]{24,}$'
const because = (v: string | undefined, pattern?: string) => analyzeApiKey(v, { pattern, source: 'variable STRIPE_KEY', variable: 'STRIPE_KEY' })

describe('analyzeApiKey', () => {
  it('a well-formed key is ok and described by prefix and length only', () => {
    const a = because(KEY, PATTERN)
    expect(a.status).toBe('ok')
    expect(a.verdict).toContain('sk_live_… (32 characters)')
    expect(keyShape('abcdef')).toBe('no known prefix (6 characters)')
  })

  it('apikey.missing when unset or blank', () => {
    expect(because(undefined).findings.map((f) => f.id)).toEqual(['apikey.missing'])
    expect(because(undefined).verdict).toBe('401 because: variable STRIPE_KEY is not set')
    expect(because('  ').verdict).toBe('401 because: variable STRIPE_KEY is empty (only whitespace)')
    expect(because(undefined).findings[0].commands[0]).toBe('printenv STRIPE_KEY | wc -c')
  })

  it('apikey.malformed: quotes, whitespace, Bearer stored or doubled, placeholder, pattern', () => {
    const table: [string, string][] = [
      [`"${KEY}"`, 'the key is wrapped in quotes'],
      [`${KEY}\n`, 'the key ends with a line break (\\n)'],
      [`${KEY}\r`, 'carriage return (\\r, a file saved with Windows line endings)'],
      [` ${KEY}`, 'the key starts with a space'],
      [`Bearer ${KEY}`, 'the key carries its own "Bearer " prefix'],
      [`Bearer Bearer ${KEY}`, '"Bearer" is doubled'],
      [`sk_live_4eC39 HqLyjWDarjtT1zdp7dc`, 'the key contains a space'],
      ['your-api-key-here', 'the key is a placeholder'],
      ['sk_test_xxxxxxxx', 'the key is a placeholder'],
      ['pk_live_4eC39HqLyjWDarjtT1zdp7dc', 'the key (pk_live_… (32 characters)) does not match ^sk_(live|test)_'],
    ]
    for (const [value, reason] of table) {
      const a = because(value, PATTERN)
      expect(a.findings.map((f) => f.id), JSON.stringify(value)).toEqual(['apikey.malformed'])
      expect(a.verdict, JSON.stringify(value)).toContain(reason)
      const out = JSON.stringify(a)
      expect(out).not.toContain('4eC39HqLyjWDarjtT1zdp7dc')
      expect(out).not.toContain('HqLyjWDarjtT1zdp7dc')
    }
  })

  it('reads header lines: Authorization Bearer, X-API-Key, and a doubled Bearer', () => {
    expect(keyFromHeaderLine(`Authorization: Bearer ${KEY}`)).toEqual({ header: 'Authorization', scheme: 'Bearer', value: KEY })
    expect(keyFromHeaderLine(`x-api-key: ${KEY}`)).toEqual({ header: 'x-api-key', value: KEY })
    const doubled = keyFromHeaderLine(`Authorization: Bearer Bearer ${KEY}`)
    expect(because(doubled.value).verdict).toContain('"Bearer" twice')
  })

  it('an invalid pattern is a UserError naming where it came from, not apikey.malformed', () => {
    // Bug: `--pattern "([a-"` was reported as apikey.malformed ("the key cannot be checked against its pattern").
    for (const value of ['sk_live_abc', undefined, '']) {
      let thrown: unknown
      try {
        analyzeApiKey(value, { pattern: '([a-', patternName: '--pattern' })
      } catch (err) {
        thrown = err
      }
      expect(thrown).toBeInstanceOf(UserError)
      expect((thrown as UserError).message).toMatch(/^--pattern is not a valid regular expression: Invalid regular expression: \/\(\[a-\/: /)
      expect((thrown as UserError).hint).toContain('regular expression')
    }
  })

  it('never throws on any key and never returns it, whatever the input (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.option(fc.constantFrom(PATTERN, '[(]', '^x$'), { nil: undefined }), (value, pattern) => {
        const a = analyzeApiKey(value, { pattern })
        expect(['ok', 'critical']).toContain(a.status)
        if (value.trim().length >= 12) expect(JSON.stringify(a.findings)).not.toContain(value.trim())
      }),
      { numRuns: 1500 },
    )
  })
})
