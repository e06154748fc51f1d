import { afterEach, describe, expect, it } from 'vitest'
import { evidenceText, runCheck } from '../../../test/helpers/check-tester.js'
import { envFixture, type EnvFixture } from '../../../test/helpers/env-target.js'
import { isKnownDefault, judgeSecret, shannonBitsPerChar } from './secrets.js'
import check from './weak-secret.js'

let fx: EnvFixture | undefined
afterEach(() => fx?.cleanup())

// A value made like the guide says (openssl rand -hex 32): 64 hex characters.
const STRONG = '9f2c4e8a1b7d3f60c5e2a9b4d8f1c3e7a6b0d2f4e8c1a3b5d7f9e0c2a4b6d8f1'
const rules = { minLength: 32, minBitsPerChar: 2.5, minTotalBits: 80 }

describe('secret rules', () => {
  it('knows the published defaults whatever their case and separators', () => {
    for (const v of ['changeme', 'CHANGE_ME', 'Change-Me', 'secret', 'your-secret-key', 'your-secret-key-change-in-production', 'dev-secret', 'password']) {
      expect(isKnownDefault(v), v).toBe(true)
    }
    expect(isKnownDefault(STRONG)).toBe(false)
  })
  it('measures entropy', () => {
    expect(shannonBitsPerChar('aaaaaaaa')).toBe(0)
    expect(shannonBitsPerChar('abcd')).toBe(2)
    expect(judgeSecret('a'.repeat(64), rules).failed).toEqual(['low entropy'])
    expect(judgeSecret('abcabcabcabcabcabcabcabcabcabcabcabc', rules).failed).toEqual(['low entropy'])
    expect(judgeSecret(STRONG, rules).failed).toEqual([])
    expect(judgeSecret(undefined, rules).failed).toEqual(['missing'])
  })
})

describe('config.secrets (config.weak-secret)', () => {
  it('in production: a default, a short one and a missing one are critical; the value never shows', async () => {
    fx = envFixture(
      { '.env': `SECRET_KEY=your-secret-key\nENCRYPTION_KEY=Xk3pQ9zL\nJWT_SECRET_KEY=${STRONG}\nDB_PASSWORD=changeme\n` },
      { secrets: ['SECRET_KEY', 'ENCRYPTION_KEY', 'ENCRYPTION_SALT', 'JWT_SECRET_KEY'] },
    )
    const r = await runCheck(check, null, { target: fx.target, config: { environment: 'production' }, secrets: ['your-secret-key', 'Xk3pQ9zL', STRONG, 'changeme'] })
    const by = Object.fromEntries(r.findings.map((f) => [f.title.split(' ')[0], f]))
    expect(Object.keys(by).sort()).toEqual(['DB_PASSWORD', 'ENCRYPTION_KEY', 'ENCRYPTION_SALT', 'SECRET_KEY'])
    for (const f of r.findings) {
      expect(f.id).toBe('config.weak-secret')
      expect(f.severity).toBe('critical')
    }
    expect(by.SECRET_KEY.title).toBe('SECRET_KEY is a weak secret (known default, too short, low entropy) in production')
    expect(evidenceText(by.SECRET_KEY)).toMatch(/15 characters, \d\.\d\d bits\/char, \d+ bits in total \(.*\.env line 1\)/)
    expect(by.ENCRYPTION_KEY.title).toContain('too short')
    expect(by.ENCRYPTION_KEY.title).not.toContain('known default')
    expect(by.ENCRYPTION_SALT.title).toBe('ENCRYPTION_SALT is missing in production')
    expect(evidenceText(by.DB_PASSWORD)).toContain('known default')
    expect(r.observations['config.secrets.weak']).toBe(4)
  })

  it('is a warning outside production, and infers secrets from the .env names', async () => {
    fx = envFixture({ '.env': 'SESSION_SECRET=dev-secret\nAPI_SIGNING_KEY=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n' })
    const r = await runCheck(check, null, { target: fx.target, config: { environment: 'development' }, secrets: ['dev-secret'] })
    expect(r.findings.map((f) => [f.title.split(' ')[0], f.severity])).toEqual([
      ['SESSION_SECRET', 'warning'],
      ['API_SIGNING_KEY', 'warning'],
    ])
    expect(r.findings[1].title).toBe('API_SIGNING_KEY is a weak secret (low entropy)')
    expect(evidenceText(r.findings[1])).toContain('40 characters, 0.00 bits/char, 0 bits in total')
  })

  it('passes strong secrets with their numbers as evidence', async () => {
    fx = envFixture({ '.env': `SECRET_KEY=${STRONG}\n` }, {}, { JWT_SECRET_KEY: STRONG.split('').reverse().join('') })
    const r = await runCheck(check, null, { target: fx.target, secrets: [STRONG] })
    expect(r.status).toBe('ok')
    expect(r.evidence.map((e) => e.label)).toEqual(['SECRET_KEY', 'JWT_SECRET_KEY'])
    expect(r.evidence[0].observed).toMatch(/^64 characters, 3\.\d\d bits\/char, \d+ bits in total$/)
  })

  it('thresholds are configurable', async () => {
    fx = envFixture({ '.env': 'SECRET_KEY=Xk3pQ9zLm2Wv7Rt4\n' })
    const r = await runCheck(check, null, { target: fx.target, config: { thresholds: { 'config.weak-secret': { minLength: 16, minTotalBits: 50 } } } })
    expect(r.status).toBe('ok')
  })
})
