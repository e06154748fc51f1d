// auth.jwt runs as the runner runs it (CheckTester enforces the contract), on
// tokens signed in the test with real keys and a JWKS served by a local node:http server.
import { createServer, type Server } from 'node:http'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { freePort } from '../../../test/helpers/ports.js'
import { configSchema } from '../../config/schema.js'
import { resolveTargets } from '../../config/resolve.js'
import type { Target } from '../../engine/types.js'
import jwt from './jwt.js'

const SECRET = 'check-secret-Vb7Nq2Lm9Xc4Zr8Tw1Ps6Kd3Hf5Gj0'
const OLD = 'check-old-secret-Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8Ii9'
const enc = (s: string) => new TextEncoder().encode(s)
const nowS = () => Math.floor(Date.now() / 1000)

function authTarget(config: Record<string, unknown>): { target: Target; config: Record<string, unknown> } {
  const parsed = configSchema.parse(config)
  const target = resolveTargets(parsed).find((t) => t.kind === 'auth')!
  return { target, config }
}

async function run(check: typeof jwt, config: Record<string, unknown>, secrets: string[]) {
  const { target } = authTarget(config)
  return runCheck(check, null, { target, config, secrets })
}

let server: Server
let jwksUrl: string
let rsa: { publicKey: CryptoKey; privateKey: CryptoKey }

beforeAll(async () => {
  rsa = await generateKeyPair('RS256', { extractable: true })
  const jwks = { keys: [{ ...(await exportJWK(rsa.publicKey)), kid: 'current', alg: 'RS256', use: 'sig' }] }
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(jwks))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks.json`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

describe('auth.jwt', () => {
  it('skips without a token to check', async () => {
    const r = await run(jwt, { auth: { jwt: { secret: SECRET } } }, [SECRET])
    expect(r.status).toBe('skipped')
    expect(r.reason).toContain('no token to check')
  })

  it('a valid token: ok with the verdict as evidence and observations', async () => {
    const token = await new SignJWT({ sub: '7' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(enc(SECRET))
    const r = await run(jwt, { auth: { jwt: { secret: SECRET, token } } }, [SECRET, token, token.split('.')[2]])
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toMatch(/^OK: token is valid, signature verified \(HS256, the configured secret\), expires in 5\d min/)
    expect(r.observations).toMatchObject({ 'jwt.decoded': true, 'jwt.alg': 'HS256', 'jwt.signature': 'verified', 'jwt.status': 'ok' })
    expect(r.observations['jwt.expiresInSeconds']).toBeGreaterThan(3500)
  })

  it('expired, signed with the old secret, wrong audience: three findings, no secret in the result', async () => {
    const token = await new SignJWT({ sub: '7', aud: 'admin-ui' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(nowS() - 7200).setExpirationTime(nowS() - 3600).sign(enc(OLD))
    const r = await run(jwt, { auth: { jwt: { secret: SECRET, otherSecrets: [OLD], audience: 'api', clockToleranceSeconds: 30, token } } }, [SECRET, OLD, token, token.split('.')[2]])
    expect(r.status).toBe('problem')
    expect(r.findings.map((f) => f.id)).toEqual(['jwt.signature-invalid', 'jwt.expired', 'jwt.claim-mismatch'])
    expect(findingOf(r, 'jwt.signature-invalid')?.title).toContain('signed with a different key (it verifies with otherSecrets[0], not the configured secret)')
    expect(evidenceText(findingOf(r, 'jwt.expired'))).toMatch(/exp: .* \(1 h ago\) \(expected after now .* minus 30 s clock tolerance\)/)
    expect(evidenceText(findingOf(r, 'jwt.claim-mismatch'))).toContain('aud: "admin-ui" (expected "api")')
    expect(r.observations['jwt.signature']).toBe('invalid')
  })

  it('a kid missing from the JWKS, and per-route permissions from auth.routes', async () => {
    const token = await new SignJWT({ sub: '7', scope: 'users:read' }).setProtectedHeader({ alg: 'RS256', kid: 'retired' }).setExpirationTime('1h').sign(rsa.privateKey)
    const r = await run(jwt, { auth: { jwt: { jwks: jwksUrl, token }, routes: { 'DELETE /admin/users/{id}': ['admin:*'], 'GET /users': ['users:read'] } } }, [token])
    expect(r.findings.map((f) => f.id)).toEqual(['jwt.key-not-found', 'jwt.permission-missing'])
    expect(evidenceText(findingOf(r, 'jwt.key-not-found'))).toContain('kid: "retired" (expected one of "current")')
    expect(evidenceText(findingOf(r, 'jwt.permission-missing'))).toContain('DELETE /admin/users/{id} needs: not granted (expected admin:*)')
  })

  it('a malformed token is one critical finding and the check still ends cleanly', async () => {
    const r = await run(jwt, { auth: { jwt: { secret: SECRET, token: 'Bearer Bearer abc.def' } } }, [SECRET])
    expect(r.findings.map((f) => f.id)).toEqual(['jwt.malformed'])
    expect(evidenceText(findingOf(r, 'jwt.malformed'))).toContain('carries "Bearer" twice')
    expect(r.observations['jwt.decoded']).toBe(false)
  })

  it('a subjectQuery naming a missing target is a note; the token is still checked', async () => {
    const token = await new SignJWT({ sub: '7' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(nowS() - 10).sign(enc(SECRET))
    const r = await run(jwt, { auth: { jwt: { secret: SECRET, token, subjectQuery: { target: 'nope', sql: 'SELECT true' } } } }, [SECRET, token])
    expect(r.findings.map((f) => f.id)).toEqual(['jwt.expired'])
    expect(evidenceText(r.findings[0])).toContain('note: subject query failed: auth.jwt.subjectQuery names target "nope"')
    const ok = await run(jwt, { auth: { jwt: { secret: SECRET, token: await new SignJWT({ sub: '7' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(enc(SECRET)), subjectQuery: { target: 'nope', sql: 'SELECT true' } } } }, [SECRET])
    expect(ok.evidence.map((e) => e.observed)).toContain('subject query failed: auth.jwt.subjectQuery names target "nope", which is not in targets:')
  })

  it('an unreachable JWKS: a skip with the reason; an expired token behind it is still jwt.expired', async () => {
    const token = await new SignJWT({ sub: '7' }).setProtectedHeader({ alg: 'RS256', kid: 'current' }).setExpirationTime('1h').sign(rsa.privateKey)
    const down = `http://127.0.0.1:${await freePort()}/jwks.json`
    const r = await run(jwt, { auth: { jwt: { jwks: down, token } } }, [token])
    expect(r.status).toBe('skipped')
    expect(r.reason).toBe(`cannot verify the token's signature: could not fetch the JWKS from ${down}: ECONNREFUSED`)
    expect(r.observations['jwt.signature']).toBe('not-checked')
    const old = await new SignJWT({ sub: '7' }).setProtectedHeader({ alg: 'RS256', kid: 'current' }).setExpirationTime(nowS() - 60).sign(rsa.privateKey)
    const e = await run(jwt, { auth: { jwt: { jwks: 'http://127.0.0.1:9/jwks.json', token: old } } }, [old])
    expect(e.findings.map((f) => f.id)).toEqual(['jwt.expired'])
    expect(evidenceText(e.findings[0])).toContain('note: signature not verified: could not fetch the JWKS from http://127.0.0.1:9/jwks.json: bad port (fetch refuses to connect to this port')
  })

  it('an empty auth.jwt.secret ("${JWT_SECRET_KEY:-}" unset) is named, not reported as jwt.signature-invalid', async () => {
    const token = await new SignJWT({ sub: '7' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(enc(SECRET))
    const r = await run(jwt, { auth: { jwt: { secret: '', token } } }, [SECRET, token])
    expect(r.status).toBe('skipped')
    expect(r.reason).toBe("cannot verify the token's signature: auth.jwt.secret is empty: the variable it comes from is probably unset")
    const old = await new SignJWT({ sub: '7' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(nowS() - 60).sign(enc(SECRET))
    const e = await run(jwt, { auth: { jwt: { secret: '', token: old } } }, [SECRET, old])
    expect(e.findings.map((f) => f.id)).toEqual(['jwt.expired'])
    expect(evidenceText(e.findings[0])).toContain('note: signature not verified: auth.jwt.secret is empty')
  })

  it('an unreadable auth.jwt.publicKey, a key file that holds no key, an unknown algorithm: an error with a clear reason', async () => {
    const token = await new SignJWT({ sub: '7' }).setProtectedHeader({ alg: 'RS256' }).setExpirationTime('1h').sign(rsa.privateKey)
    const missing = await run(jwt, { auth: { jwt: { publicKey: '/nonexistent/pub.pem', token } } }, [token])
    expect(missing.status).toBe('error')
    expect(missing.reason).toBe('cannot read auth.jwt.publicKey /nonexistent/pub.pem (file not found)')
    const dir = await run(jwt, { auth: { jwt: { publicKey: '/tmp', token } } }, [token])
    expect(dir.reason).toBe('cannot read auth.jwt.publicKey /tmp (it is a directory, not a file)')
    const notKey = await run(jwt, { auth: { jwt: { publicKey: '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----', token } } }, [token])
    expect(notKey.status).toBe('error')
    expect(notKey.reason).toMatch(/^auth.jwt.publicKey is not a PEM public key, certificate or JWK \(it holds a PEM "PUBLIC KEY" block: /)
    const alg = await run(jwt, { auth: { jwt: { secret: SECRET, algorithms: ['hs256'], token } } }, [SECRET, token])
    expect(alg.status).toBe('error')
    expect(alg.reason).toBe('auth.jwt.algorithms: unknown algorithm "hs256" (did you mean HS256?)')
  })
})
