// The token analyzer on real tokens signed in the test with real keys (HS256 secrets, RS256 and
// ES256 key pairs from jose), and a JWKS served by a local node:http server.
import { createServer, type Server } from 'node:http'
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWTPayload } from 'jose'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../test/helpers/ports.js'
import { JwtAnalyzer, type JwtAnalysis, type JwtSettings } from './analyze.js'
import { fetchJwksDocument } from './keys.js'

const SECRET = 'test-secret-Jq8wV2pLx5Rz0Tn3Yb6Kc9Ha4Ue7Mf1'
const OLD_SECRET = 'old-secret-Pz1Lq7Xw3Vn8Rb5Ty2Ks6Hd0Gm4Fj9'
const NOW = Date.parse('2026-11-22T12:00:00Z')
const nowS = NOW / 1000
const enc = (s: string) => new TextEncoder().encode(s)

async function hs(claims: JWTPayload, opts: { secret?: string | Uint8Array; alg?: string; kid?: string } = {}): Promise<string> {
  const key = typeof opts.secret === 'string' || opts.secret === undefined ? enc(opts.secret ?? SECRET) : opts.secret
  return new SignJWT(claims).setProtectedHeader({ alg: opts.alg ?? 'HS256', typ: 'JWT', ...(opts.kid ? { kid: opts.kid } : {}) }).sign(key)
}

const base = { sub: '42', iat: nowS - 600, exp: nowS + 3000 }

function analyze(token: string, settings: JwtSettings, extra: ConstructorParameters<typeof JwtAnalyzer>[1] = {}): Promise<JwtAnalysis> {
  const a = new JwtAnalyzer(settings, { now: () => NOW, fetchJwks: (url) => fetchJwksDocument(url, { timeoutMs: 2000 }), ...extra })
  return a.prepare().then(() => a.analyze(token))
}

const ids = (a: JwtAnalysis) => a.findings.map((f) => f.id)
const text = (a: JwtAnalysis) => JSON.stringify(a)
const evidence = (a: JwtAnalysis, id: string) =>
  (a.findings.find((f) => f.id === id)?.evidence ?? []).map((e) => `${e.label}: ${e.observed}${e.expected ? ` (expected ${e.expected})` : ''}`).join('\n')

let rsa: { publicKey: CryptoKey; privateKey: CryptoKey }
let rsaOther: { publicKey: CryptoKey; privateKey: CryptoKey }
let ec: { publicKey: CryptoKey; privateKey: CryptoKey }
let ec384: { publicKey: CryptoKey; privateKey: CryptoKey }
let rsaPem: string
let ecPem: string
let ec384Pem: string
let server: Server
let jwksUrl: string
let brokenJwksUrl: string

beforeAll(async () => {
  rsa = await generateKeyPair('RS256', { extractable: true })
  rsaOther = await generateKeyPair('RS256', { extractable: true })
  ec = await generateKeyPair('ES256', { extractable: true })
  ec384 = await generateKeyPair('ES384', { extractable: true })
  rsaPem = await exportSPKI(rsa.publicKey)
  ecPem = await exportSPKI(ec.publicKey)
  ec384Pem = await exportSPKI(ec384.publicKey)
  const jwks = { keys: [{ ...(await exportJWK(rsa.publicKey)), kid: 'rsa-2026', use: 'sig', alg: 'RS256' }, { ...(await exportJWK(ec.publicKey)), kid: 'ec-2026', use: 'sig' }] }
  server = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(jwks))
    } else if (req.url === '/html') {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<html>login</html>')
    } else {
      res.writeHead(404)
      res.end()
    }
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  jwksUrl = `http://127.0.0.1:${port}/.well-known/jwks.json`
  brokenJwksUrl = `http://127.0.0.1:${port}/html`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

describe('valid tokens', () => {
  it('HS256 with the right secret: ok, verified, no finding', async () => {
    const a = await analyze(await hs(base), { secret: SECRET, algorithms: ['HS256'] })
    expect(a.status).toBe('ok')
    expect(a.findings).toEqual([])
    expect(a.signature.state).toBe('verified')
    expect(a.verdict).toBe('OK: token is valid, signature verified (HS256, the configured secret), expires in 50 min (2026-11-22T12:50:00Z)')
  })

  it('RS256 with the PEM public key and ES256 with its key verify', async () => {
    const rs = await new SignJWT(base).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey)
    const a = await analyze(rs, { publicKey: rsaPem })
    expect(a.signature).toEqual({ state: 'verified', detail: 'verified (RS256, the public key (RSA 2048 bits))' })
    const es = await new SignJWT(base).setProtectedHeader({ alg: 'ES256' }).sign(ec.privateKey)
    const b = await analyze(es, { publicKey: ecPem })
    expect(b.status).toBe('ok')
    expect(b.signature.detail).toContain('EC P-256')
  })

  it('without a key: decodes and checks times but says the signature was not verified', async () => {
    const a = await analyze(await hs(base), {})
    expect(a.status).toBe('ok')
    expect(a.signature.state).toBe('not-checked')
    expect(a.verdict).toMatch(/^OK as far as medic can tell \(signature not verified: no secret, public key or JWKS given\)/)
    expect(a.claims).toMatchObject({ sub: '42' })
  })
})

describe('jwt.expired and jwt.not-yet-valid', () => {
  it('expired 3 h 12 min ago: when, how long ago, the tolerance', async () => {
    const exp = nowS - (3 * 3600 + 12 * 60)
    const a = await analyze(await hs({ sub: '42', iat: exp - 3600, exp }), { secret: SECRET, clockToleranceSeconds: 30 })
    expect(ids(a)).toEqual(['jwt.expired'])
    expect(a.status).toBe('critical')
    expect(a.verdict).toBe('401 because: token expired 3 h 12 min ago (exp 2026-11-22T08:48:00Z)')
    expect(evidence(a, 'jwt.expired')).toContain('exp: 2026-11-22T08:48:00Z (3 h 12 min ago) (expected after now (2026-11-22T12:00:00Z) minus 30 s clock tolerance)')
    expect(evidence(a, 'jwt.expired')).toContain('lifetime: 1 h')
    expect(a.signature.state).toBe('verified')
  })

  it('expired 20 s ago passes with a 30 s clock tolerance, fails without', async () => {
    const t = await hs({ ...base, exp: nowS - 20 })
    expect(ids(await analyze(t, { secret: SECRET, clockToleranceSeconds: 30 }))).toEqual([])
    const strict = await analyze(t, { secret: SECRET })
    expect(ids(strict)).toEqual(['jwt.expired'])
    expect(evidence(strict, 'jwt.expired')).toContain('no clock tolerance')
  })

  it('nbf in the future beyond the skew; iat in the future says the issuer clock is ahead', async () => {
    const nbf = await analyze(await hs({ ...base, nbf: nowS + 300 }), { secret: SECRET, clockToleranceSeconds: 60 })
    expect(ids(nbf)).toEqual(['jwt.not-yet-valid'])
    expect(nbf.verdict).toBe('401 because: token not valid for another 5 min (nbf 2026-11-22T12:05:00Z)')
    const iat = await analyze(await hs({ sub: '1', iat: nowS + 90, exp: nowS + 3690 }), { secret: SECRET, clockToleranceSeconds: 30 })
    expect(ids(iat)).toEqual(['jwt.not-yet-valid'])
    expect(iat.findings[0].because).toContain("issued 1 min 30 s in the future (iat 2026-11-22T12:01:30Z): the issuer's clock is ahead")
    // Within the tolerance: fine.
    expect(ids(await analyze(await hs({ ...base, nbf: nowS + 10 }), { secret: SECRET, clockToleranceSeconds: 30 }))).toEqual([])
  })
})

describe('jwt.signature-invalid', () => {
  it('a different secret: invalid; with otherSecrets it says which key signed it, never the secret', async () => {
    const token = await hs(base, { secret: OLD_SECRET })
    const plain = await analyze(token, { secret: SECRET })
    expect(ids(plain)).toEqual(['jwt.signature-invalid'])
    expect(plain.verdict).toBe('401 because: the signature does not verify with the configured secret')
    const told = await analyze(token, { secret: SECRET, otherSecrets: ['unrelated-secret-value-0000000000', OLD_SECRET] })
    expect(told.verdict).toBe('401 because: signed with a different key (it verifies with otherSecrets[1], not the configured secret)')
    expect(evidence(told, 'jwt.signature-invalid')).toContain('signed with: a different key: the token verifies with otherSecrets[1]')
    expect(text(told)).not.toContain(OLD_SECRET)
    expect(text(told)).not.toContain(SECRET)
    expect(text(told)).not.toContain(token.split('.')[2])
  })

  it('a secret with a trailing newline on one side, and a base64 secret decoded on the other', async () => {
    const nl = await analyze(await hs(base, { secret: SECRET }), { secret: `${SECRET}\n` })
    expect(nl.verdict).toBe('401 because: the token verifies only with the configured secret without its surrounding whitespace')
    const b64 = Buffer.from('raw-bytes-secret-for-the-issuer!').toString('base64')
    const decodedSide = await analyze(await hs(base, { secret: new Uint8Array(Buffer.from(b64, 'base64')) }), { secret: b64 })
    expect(decodedSide.findings[0].because).toBe('the token verifies only with the configured secret base64-decoded')
  })

  it('an RS256 token signed by another key pair, an emptied signature', async () => {
    const rs = await new SignJWT(base).setProtectedHeader({ alg: 'RS256' }).sign(rsaOther.privateKey)
    const a = await analyze(rs, { publicKey: rsaPem })
    expect(ids(a)).toEqual(['jwt.signature-invalid'])
    const [h, p] = (await hs(base)).split('.')
    const empty = await analyze(`${h}.${p}.`, { secret: SECRET })
    expect(ids(empty)).toEqual(['jwt.signature-invalid'])
    expect(evidence(empty, 'jwt.signature-invalid')).toContain('(the signature part is empty)')
  })
})

describe('jwt.algorithm-mismatch', () => {
  it('RS256 token, verifier has only an HMAC secret', async () => {
    const rs = await new SignJWT(base).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey)
    const a = await analyze(rs, { secret: SECRET })
    expect(ids(a)).toEqual(['jwt.algorithm-mismatch'])
    expect(a.verdict).toContain('the token is signed with RS256 (an RSA key) but the verifier has the configured secret: the issuer signs with a private key, the API expects a shared secret')
  })

  it('HS256 token against an RSA public key: HS256/RS256 confusion, and the forgery made with the public key text', async () => {
    const honest = await analyze(await hs(base), { publicKey: rsaPem })
    expect(ids(honest)).toEqual(['jwt.algorithm-mismatch'])
    expect(honest.verdict).toContain('HS256/RS256 confusion')
    const forged = await analyze(await hs({ ...base, role: 'admin' }, { secret: rsaPem.trim() }), { publicKey: rsaPem })
    expect(evidence(forged, 'jwt.algorithm-mismatch')).toContain('algorithm-confusion forgery')
  })

  it('alg "none" (an unsecured JWT) and an alg outside the configured list', async () => {
    const none = await analyze(new UnsecuredJWT(base).encode(), { secret: SECRET, algorithms: ['HS256'] })
    expect(ids(none)).toEqual(['jwt.algorithm-mismatch'])
    expect(none.verdict).toContain('the token is unsigned (alg "none")')
    const hs384 = await analyze(await hs(base, { alg: 'HS384' }), { secret: SECRET, algorithms: ['HS256'] })
    expect(ids(hs384)).toEqual(['jwt.algorithm-mismatch'])
    expect(hs384.verdict).toBe('401 because: the token is signed with HS384, the verifier accepts only HS256')
    // The key itself is right: the only problem is the list.
    expect(hs384.signature.state).toBe('verified')
    const rsVsHs = await analyze(await new SignJWT(base).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey), { publicKey: rsaPem, algorithms: ['HS256'] })
    expect(rsVsHs.verdict).toContain('(RS vs HS256: the issuer and the API disagree on the kind of key)')
  })

  it('ES256 token against a P-384 key names the curve', async () => {
    const es = await new SignJWT(base).setProtectedHeader({ alg: 'ES256' }).sign(ec.privateKey)
    const a = await analyze(es, { publicKey: ec384Pem })
    expect(ids(a)).toEqual(['jwt.algorithm-mismatch'])
    expect(evidence(a, 'jwt.algorithm-mismatch')).toContain('curve P-384')
  })
})

describe('JWKS over HTTP', () => {
  it('kid present: verifies with that key', async () => {
    const rs = await new SignJWT(base).setProtectedHeader({ alg: 'RS256', kid: 'rsa-2026' }).sign(rsa.privateKey)
    const a = await analyze(rs, { jwks: jwksUrl })
    expect(a.status).toBe('ok')
    expect(a.signature.detail).toBe('verified (RS256, JWKS key kid=rsa-2026 (RSA 2048 bits))')
    const es = await new SignJWT(base).setProtectedHeader({ alg: 'ES256', kid: 'ec-2026' }).sign(ec.privateKey)
    expect((await analyze(es, { jwks: jwksUrl })).status).toBe('ok')
  })

  it('kid absent from the JWKS: jwt.key-not-found listing the kids present', async () => {
    const rs = await new SignJWT(base).setProtectedHeader({ alg: 'RS256', kid: 'rsa-2025' }).sign(rsaOther.privateKey)
    const a = await analyze(rs, { jwks: jwksUrl })
    expect(ids(a)).toEqual(['jwt.key-not-found'])
    expect(a.verdict).toBe('401 because: the token\'s key id "rsa-2025" is not in the JWKS (it has "rsa-2026", "ec-2026")')
    expect(a.findings[0].commands[0]).toContain(jwksUrl)
  })

  it('a token without kid is tried against every fitting key', async () => {
    const rs = await new SignJWT(base).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey)
    expect((await analyze(rs, { jwks: jwksUrl })).signature.state).toBe('verified')
  })

  it('an unreachable JWKS or an HTML answer: the token is still analysed, the signature unverified with the reason (status unknown)', async () => {
    const port = await freePort()
    const rs = await new SignJWT(base).setProtectedHeader({ alg: 'RS256', kid: 'rsa-2026' }).sign(rsa.privateKey)
    const down = await analyze(rs, { jwks: `http://127.0.0.1:${port}/jwks` })
    expect(down.status).toBe('unknown')
    expect(down.findings).toEqual([])
    expect(down.verdict).toBe(`cannot verify the signature: could not fetch the JWKS from http://127.0.0.1:${port}/jwks: ECONNREFUSED`)
    expect(down.signature).toEqual({ state: 'not-checked', detail: `not verified: could not fetch the JWKS from http://127.0.0.1:${port}/jwks: ECONNREFUSED` })
    const html = await analyze(rs, { jwks: brokenJwksUrl })
    expect(html.verdict).toBe(`cannot verify the signature: ${brokenJwksUrl} did not answer JSON (expected a JWKS): it answered an HTML page (text/html), probably a login page or the wrong path`)
    // An expired token behind a dead JWKS is still reported as expired.
    const expired = await new SignJWT({ ...base, exp: nowS - 60 }).setProtectedHeader({ alg: 'RS256', kid: 'rsa-2026' }).sign(rsa.privateKey)
    const both = await analyze(expired, { jwks: `http://127.0.0.1:${port}/jwks` })
    expect(both.status).toBe('critical')
    expect(ids(both)).toEqual(['jwt.expired'])
  })
})

describe('keys that cannot be used', () => {
  it('an empty secret (unset variable) says so instead of "the signature does not verify"', async () => {
    // Bug: auth.jwt.secret "${JWT_SECRET_KEY:-}" (empty) gave "401 because: the signature does not verify with the configured secret".
    for (const secret of ['', '  \n']) {
      const a = await analyze(await hs(base), { secret, secretName: 'auth.jwt.secret' })
      expect(ids(a)).toEqual([])
      expect(a.status).toBe('unknown')
      expect(a.verdict).toBe(`cannot verify the signature: auth.jwt.secret is empty${secret ? ' (only whitespace)' : ''}: the variable it comes from is probably unset`)
    }
    // With another usable key, the empty secret is a note and the token is judged on that key.
    const rs = await new SignJWT(base).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey)
    expect((await analyze(rs, { secret: '', publicKey: rsaPem })).status).toBe('ok')
    const wrong = await analyze(await hs(base), { secret: '', publicKey: rsaPem })
    expect(wrong.notes).toContain('not used: the configured secret is empty: the variable it comes from is probably unset')
  })

  it('a public key that is no key is a UserError naming it', () => {
    expect(() => new JwtAnalyzer({ publicKey: 'not a key', publicKeyName: '--public-key bad.pem' })).toThrow(/^--public-key bad.pem is not a PEM public key, certificate or JWK \(/)
    expect(() => new JwtAnalyzer({ publicKey: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', publicKeyName: 'auth.jwt.publicKey' })).toThrow('auth.jwt.publicKey is not a PEM public key, certificate or JWK (it holds a PEM "CERTIFICATE" block: ')
    expect(() => new JwtAnalyzer({ publicKey: '{"kty": ', publicKeyName: '--public-key k.json' })).toThrow('--public-key k.json looks like JSON but does not parse (expected a JWK or a JWKS)')
    expect(() => new JwtAnalyzer({ publicKey: ' \n', publicKeyName: '--public-key empty.pem' })).toThrow('--public-key empty.pem is empty')
  })
})

describe('huge and odd times', () => {
  it('an exp far in the past or future is capped, not 1.1574074074074075e+25 d', async () => {
    // Bug: exp -1e30 printed "expired 1.1574074074074075e+25 d ago".
    const past = await analyze(await hs({ sub: '1', exp: -1e30 }), { secret: SECRET })
    expect(past.verdict).toBe('401 because: token expired more than 1000 years ago (exp -1e+30)')
    expect(past.times[0]).toMatchObject({ claim: 'exp', iso: '-1e+30', relative: 'more than 1000 years ago' })
    const future = await analyze(await hs({ sub: '1', exp: 1e30 }), { secret: SECRET })
    expect(future.times[0]).toMatchObject({ iso: '1e+30', relative: 'in more than 1000 years' })
    // Year 9999 is still a date; year 10000 is shown as the raw number.
    const y9999 = Date.UTC(9999, 11, 31, 23, 59, 59) / 1000
    expect((await analyze(await hs({ sub: '1', exp: y9999 }), { secret: SECRET })).times[0].iso).toBe('9999-12-31T23:59:59Z')
    expect((await analyze(await hs({ sub: '1', exp: y9999 + 1 }), { secret: SECRET })).times[0].iso).toBe(String(y9999 + 1))
  })
})

describe('claims and permissions', () => {
  it('jwt.claim-mismatch for iss and aud', async () => {
    const a = await analyze(await hs({ ...base, iss: 'https://auth.staging.example.com/', aud: ['web', 'mobile'] }), { secret: SECRET, issuer: 'https://auth.example.com/', audience: 'api' })
    expect(ids(a)).toEqual(['jwt.claim-mismatch'])
    expect(a.verdict).toBe('401 because: issuer "https://auth.staging.example.com/" is not "https://auth.example.com/" and audience ["web","mobile"] is not "api"')
    const ok = await analyze(await hs({ ...base, iss: 'x', aud: ['web', 'api'] }), { secret: SECRET, issuer: 'x', audience: ['api'] })
    expect(ok.findings).toEqual([])
  })

  it('jwt.no-expiry is a warning', async () => {
    const a = await analyze(await hs({ sub: '42', iat: nowS }), { secret: SECRET })
    expect(ids(a)).toEqual(['jwt.no-expiry'])
    expect(a.status).toBe('warning')
    expect(a.verdict).toContain('but the token has no exp claim: it never expires')
  })

  it('jwt.permission-missing from --need, with the grants the token has', async () => {
    const a = await analyze(await hs({ ...base, scope: 'user:read profile', roles: ['editor'] }), { secret: SECRET, need: ['user:write'] })
    expect(ids(a)).toEqual(['jwt.permission-missing'])
    expect(a.verdict).toBe('403 because: token lacks user:write (has: user:read, profile, editor)')
    expect(evidence(a, 'jwt.permission-missing')).toContain('token grants: user:read (scope), profile (scope), editor (roles)')
  })

  it('scope strings, scp, permissions and wildcards satisfy requirements', async () => {
    const cases: [JWTPayload, string[]][] = [
      [{ scope: 'openid user:write' }, ['user:write']],
      [{ scp: 'files.read files.write' }, ['files.write']],
      [{ scp: ['a', 'b'] }, ['b']],
      [{ permissions: ['admin:*'] }, ['admin:users', 'admin:users:delete', 'admin:*']],
      [{ roles: ['*'] }, ['anything:at-all']],
      [{ realm_access: { roles: ['ops'] } }, ['ops']],
    ]
    for (const [claims, need] of cases) {
      const a = await analyze(await hs({ ...base, ...claims }), { secret: SECRET, need })
      expect(a.findings, JSON.stringify(claims)).toEqual([])
      expect(a.permissions.every((p) => p.satisfied)).toBe(true)
    }
    // Needing the wildcard is not met by one specific grant; admin:* does not cover "admin" itself.
    const partial = await analyze(await hs({ ...base, permissions: ['admin:read', 'admin:*x'] }), { secret: SECRET, need: ['admin:*'] })
    expect(ids(partial)).toEqual(['jwt.permission-missing'])
    expect(ids(await analyze(await hs({ ...base, permissions: ['admin:*'] }), { secret: SECRET, need: ['admin'] }))).toEqual(['jwt.permission-missing'])
  })

  it('per-route requirements and a near miss in case', async () => {
    const a = await analyze(await hs({ ...base, roles: ['Admin'] }), { secret: SECRET, routes: { 'DELETE /admin/users': ['admin'], 'GET /me': [] } })
    expect(ids(a)).toEqual(['jwt.permission-missing'])
    expect(a.verdict).toBe('403 because: token lacks admin for DELETE /admin/users (has: Admin)')
    expect(evidence(a, 'jwt.permission-missing')).toContain('DELETE /admin/users needs: not granted; the token has Admin (roles), which differs only in case or separator (expected admin)')
  })

  it('jwt.subject-inactive from the subject lookup; a found active subject is fine', async () => {
    const token = await hs(base)
    const gone = await analyze(token, { secret: SECRET }, { subject: async () => ({ found: false, active: false, detail: 'the query returned no row' }), subjectSource: 'subjectQuery on db' })
    expect(ids(gone)).toEqual(['jwt.subject-inactive'])
    expect(gone.verdict).toBe('401 because: no account for sub "42" (the query returned no row)')
    const off = await analyze(token, { secret: SECRET }, { subject: async () => ({ found: true, active: false, detail: 'is_active = false' }) })
    expect(off.verdict).toBe('401 because: the account of sub "42" is inactive (is_active = false)')
    const on = await analyze(token, { secret: SECRET }, { subject: async () => ({ found: true, active: true, detail: 'is_active = true' }) })
    expect(on.findings).toEqual([])
    const broken = await analyze(token, { secret: SECRET }, { subject: async () => Promise.reject(new Error('connection refused')) })
    expect(broken.findings).toEqual([])
    expect(broken.notes).toContain('subject query failed: connection refused')
  })

  it('several causes: the verdict names the first a server trips on and counts the rest', async () => {
    const a = await analyze(await hs({ sub: '1', exp: nowS - 60, iss: 'other' }, { secret: OLD_SECRET }), { secret: SECRET, issuer: 'me' })
    expect(ids(a)).toEqual(['jwt.signature-invalid', 'jwt.expired', 'jwt.claim-mismatch'])
    expect(a.verdict).toMatch(/^401 because: the signature does not verify with the configured secret \(and 2 more problems below\)$/)
  })
})

describe('RFC examples', () => {
  // RFC 7519 §3.1 / RFC 7515 Appendix A.1: the HS256 example and its JWK (kty oct) key.
  const RFC_TOKEN =
    'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
  const RFC_JWK = { kty: 'oct', k: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow' }

  it('decodes the header and claims as the RFCs state', async () => {
    const a = await analyze(RFC_TOKEN, {})
    expect(a.header).toEqual({ typ: 'JWT', alg: 'HS256' })
    expect(a.claims).toEqual({ iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true })
    expect(a.times).toEqual([expect.objectContaining({ claim: 'exp', iso: '2011-03-22T18:43:00Z' })])
  })

  it('verifies with the RFC 7515 A.1 JWK key (and is long expired)', async () => {
    const a = await analyze(RFC_TOKEN, { publicKey: JSON.stringify(RFC_JWK) })
    expect(a.signature).toEqual({ state: 'verified', detail: 'verified (HS256, the JWK shared key (kty oct))' })
    expect(ids(a)).toEqual(['jwt.expired'])
    expect(a.verdict).toMatch(/^401 because: token expired 15 y \d+ d ago \(exp 2011-03-22T18:43:00Z\)$/)
  })

  it('RFC 7519 §6.1 unsecured JWT decodes and is refused as alg none', async () => {
    const a = await analyze('eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.', { secret: SECRET })
    expect(a.header).toEqual({ alg: 'none' })
    expect(ids(a)).toContain('jwt.algorithm-mismatch')
    expect(ids(a)).toContain('jwt.expired')
  })
})

describe('analyzer properties (fast-check)', () => {
  it('any input, any header and claims: a result with a verdict, never a rejection, never the secret', async () => {
    const analyzer = new JwtAnalyzer({ secret: SECRET, algorithms: ['HS256'], issuer: 'me', audience: 'api', need: ['a:b'], otherSecrets: [OLD_SECRET] }, { now: () => NOW })
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')
    const input = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.tuple(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })), fc.base64String({ maxLength: 60 })).map(
        ([h, c, sig]) => `${b64({ alg: 'HS256', ...h })}.${b64(c)}.${sig.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}`,
      ),
    )
    await fc.assert(
      fc.asyncProperty(input, async (tok) => {
        const a = await analyzer.analyze(tok)
        expect(a.verdict.length).toBeGreaterThan(5)
        expect(['ok', 'warning', 'critical']).toContain(a.status)
        expect(a.verdict).not.toMatch(/e\+\d|NaN|Infinity d/)
        expect(JSON.stringify(a)).not.toContain(SECRET)
      }),
      { numRuns: 800 },
    )
  })
})
