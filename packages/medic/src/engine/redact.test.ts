import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { maskUrl, MAYBE_SECRET, PATTERNS, Redactor } from './redact.js'

describe('redaction', () => {
  it('masks known secret values wherever they appear, longest first', () => {
    const r = new Redactor()
    r.add('hunter2hunter2')
    r.add('s3cr3t/with+chars')
    expect(r.redact('password is hunter2hunter2 and s3cr3t%2Fwith%2Bchars')).toBe('password is *** and ***')
  })

  it('masks credentials by shape: DSN passwords, bearer tokens, JWTs, provider keys, key=value', () => {
    const r = new Redactor()
    expect(r.redact('postgres://app:pa55word@db:5432/app')).toBe('postgres://app:***@db:5432/app')
    expect(r.redact('Authorization: Bearer abcdefghijklmnop')).toBe('Authorization: Bearer ***')
    expect(r.redact('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl')).toBe('token <jwt ***>')
    expect(r.redact('key sk-proj-abcdefghijklmnopqrstuvwx')).toBe('key sk-proj-***')
    expect(r.redact('sk_live_abcdefghijklmnopqrstuvwx')).toBe('sk_live_***')
    expect(r.redact('DB_PASSWORD=topsecretvalue other=1')).toBe('DB_PASSWORD=*** other=1')
    expect(r.redact('api_key: "abcdef123"')).toBe('api_key: "***"')
  })

  it('masks the start of a known secret cut short by a length limit', () => {
    const r = new Redactor()
    r.add('JwtEnvSecret_0123456789')
    expect(r.redact('health says: bad key JwtEnvSe… (truncated)')).toBe('health says: bad key ***… (truncated)')
  })

  it('leaves numbers with units and MySQL\'s YES/NO alone', () => {
    const r = new Redactor()
    expect(r.redact('auth.auth.apikey=12ms auth.token=3ms')).toBe('auth.auth.apikey=12ms auth.token=3ms')
    expect(r.redact("Access denied for user 'root'@'127.0.0.1' (using password: YES)")).toBe("Access denied for user 'root'@'127.0.0.1' (using password: YES)")
    expect(r.redact('password=hunter22 token: abc123def')).toBe('password=*** token: ***')
    // A shell variable is a reference, not the secret: commands must stay pasteable.
    expect(r.redact('curl -H "api-key: $QDRANT_API_KEY" x')).toBe('curl -H "api-key: $QDRANT_API_KEY" x')
    expect(r.redact('token=${TOKEN} password=$abcdef12')).toBe('token=${TOKEN} password=***')
  })

  it('redactKnown masks only known values, raw and JSON-escaped, without pattern work', () => {
    const r = new Redactor()
    r.add('pa"ss\\word')
    expect(r.redactKnown('{"msg":"login with pa\\"ss\\\\word"}')).toBe('{"msg":"login with ***"}')
    expect(r.redactKnown('raw pa"ss\\word and password=other')).toBe('raw *** and password=other')
  })

  it('leaves ordinary text alone', () => {
    const r = new Redactor()
    const text = 'used 97 of 97 usable slots (max_connections 100, 3 reserved) at 127.0.0.1:5432'
    expect(r.redact(text)).toBe(text)
  })

  it('masks URL passwords and secret query parameters', () => {
    expect(maskUrl('redis://:pw12345@127.0.0.1:6379/0')).toBe('redis://:***@127.0.0.1:6379/0')
    expect(maskUrl('mysql://root@127.0.0.1:3306/')).toBe('mysql://root@127.0.0.1:3306/')
    expect(maskUrl('http://x/?api_key=abc123&page=2')).toBe('http://x/?api_key=***&page=2')
  })

  it('never throws and never lets a planted secret through, whatever the text around it', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 6 }).filter((s) => !s.includes('*')), fc.string(), (before, secret, after) => {
        const r = new Redactor()
        r.add(secret)
        expect(r.redact(`${before}${secret}${after}`)).not.toContain(secret)
      }),
      { numRuns: 300 },
    )
  })
})

describe('the one-scan gate before the patterns', () => {
  it('lets through every text a pattern would change', () => {
    const parts = ['password', 'PassWd', 'pwd', 'secret', 'token', 'api_key', 'ACCESS-KEY', 'private_key', 'Bearer', 'Basic', 'eyJ', 'sk-', 'pk_test_', 'rk_live_', 'xoxb-', 'ghp_', 'gho_', 'github_pat_', 'AKIA', 'postgres://', 'u:', '@', '=', ': ', '"', ' ', 'abcdefghijklmnop', '0123456789ab', '_-.', 'x', 'eyJhbGciOiJI.eyJzdWIiOi.c2ln', 'xoxp-1234567890ab']
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...parts), { maxLength: 5 }), (ps) => {
        const s = ps.join('')
        const changed = PATTERNS.some(([re, rep]) => s.replace(re, rep as (w: string, ...g: string[]) => string) !== s)
        if (changed) expect(MAYBE_SECRET.test(s)).toBe(true)
      }),
      { numRuns: 30_000 },
    )
  })
})

describe('stringify', () => {
  it('is JSON.stringify of the redacted copy', () => {
    const r = new Redactor()
    r.add('hunter2hunter2')
    const value = { a: 'password=hunter2hunter2', n: 3, list: ['postgres://app:pw12345@db/x', { deep: 'Bearer abcdefghijklmnop', none: null, u: undefined }], ok: true, 'key=secret123': 'keys stay' }
    expect(r.stringify(value, 2)).toBe(JSON.stringify(r.redactDeep(value), null, 2))
    expect(r.stringify(value)).not.toContain('hunter2')
  })
})
