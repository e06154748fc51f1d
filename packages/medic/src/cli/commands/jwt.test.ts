// `medic jwt` driven in-process through main() with a fake CliIO: output, exit codes, and that no
// secret, key, token or signature ever reaches stdout or stderr. Tokens are signed in the test
// with real keys; the JWKS is served by a local node:http server.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, type CliRun } from '../../../test/helpers/cli.js'

const SECRET = 'cli-secret-Zx8Cv6Bn4Mq2We0Rt9Yu7Io5Pa3Sd1F'
const API_KEY = 'sk_live_9Tq4Wz7Lm2Xc5Vb8Nn1Kp3Rs6D'
const enc = (s: string) => new TextEncoder().encode(s)
const nowS = () => Math.floor(Date.now() / 1000)
const hs = (claims: JWTPayload, secret = SECRET) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(enc(secret))

let dir: string
let rsa: { publicKey: CryptoKey; privateKey: CryptoKey }
let server: Server
let jwksUrl: string
const planted: string[] = [SECRET, API_KEY, API_KEY.slice(8)]

/** Run and check that nothing secret leaked, whatever the test asserts next. */
async function cli(args: string[], opts: Parameters<typeof runCli>[1] = {}): Promise<CliRun> {
  const r = await runCli(['jwt', ...args], { cwd: dir, ...opts })
  const all = r.stdout + r.stderr
  for (const s of planted) expect(all, 'a secret, key, token or signature leaked').not.toContain(s)
  return r
}
async function token(claims: JWTPayload, secret = SECRET): Promise<string> {
  const t = await hs(claims, secret)
  planted.push(t, t.split('.')[2])
  return t
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'medic-jwt-cli-'))
  rsa = await generateKeyPair('RS256', { extractable: true })
  writeFileSync(join(dir, 'rsa.pub.pem'), await exportSPKI(rsa.publicKey))
  const jwks = { keys: [{ ...(await exportJWK(rsa.publicKey)), kid: 'k-2026', alg: 'RS256' }] }
  server = createServer((_q, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks`
})
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  await new Promise<void>((r) => server.close(() => r()))
})

describe('medic jwt', () => {
  it('is listed in medic --help', async () => {
    const r = await runCli(['--help'])
    expect(r.stdout).toMatch(/jwt \[options\] \[token\]/)
  })

  it('a valid token: verdict first, header and claims with dates, exit 0', async () => {
    const t = await token({ sub: 'u-1', iat: nowS() - 60, exp: nowS() + 3600, scope: 'user:read' })
    const r = await cli([t, '--secret', SECRET])
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines[0]).toMatch(/^OK: token is valid, signature verified \(HS256, the configured secret\), expires in (59 min|1 h)/)
    expect(r.stdout).toContain('    alg        "HS256"')
    expect(r.stdout).toMatch(/    exp        \d+  \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in (59 min|1 h)/)
    expect(r.stdout).toContain('  signature  verified (HS256, the configured secret)')
  })

  it('expired 3 h 12 min ago: "401 because", exit 2', async () => {
    const exp = nowS() - (3 * 3600 + 12 * 60) - 5
    const t = await token({ sub: 'u-1', exp })
    const r = await cli([t, '--secret', SECRET, '--clock-tolerance', '30'])
    expect(r.code).toBe(2)
    expect(r.stdout.split('\n')[0]).toBe(`401 because: token expired 3 h 12 min ago (exp ${new Date(exp * 1000).toISOString().replace('.000Z', 'Z')})`)
    expect(r.stdout).toContain('(expired 3 h 12 min ago)')
    expect(r.stdout).toContain('✗ jwt.expired')
    expect(r.stdout).toContain('minus 30 s clock tolerance')
  })

  it('wrong secret: jwt.signature-invalid; --need: 403 jwt.permission-missing; no exp: warning exit 1', async () => {
    const other = await token({ sub: 'u', exp: nowS() + 60 }, 'another-secret-value-used-by-staging-0123')
    const bad = await cli([other, '--secret', SECRET])
    expect(bad.code).toBe(2)
    expect(bad.stdout.split('\n')[0]).toBe('401 because: the signature does not verify with the configured secret')
    const weak = await token({ sub: 'u', exp: nowS() + 600, roles: ['user'], scope: 'user:read' })
    const need = await cli([weak, '--secret', SECRET, '--need', 'user:write', '--need', 'user:read'])
    expect(need.code).toBe(2)
    expect(need.stdout.split('\n')[0]).toBe('403 because: token lacks user:write (has: user:read, user)')
    const forever = await token({ sub: 'u' })
    const warn = await cli([forever, '--secret', SECRET])
    expect(warn.code).toBe(1)
    expect(warn.stdout.split('\n')[0]).toContain('but the token has no exp claim: it never expires')
  })

  it('--public-key FILE and --jwks URL; kid absent lists the kids; --alg mismatch', async () => {
    const rs = await new SignJWT({ sub: 'u', exp: nowS() + 600 }).setProtectedHeader({ alg: 'RS256', kid: 'k-2026' }).sign(rsa.privateKey)
    planted.push(rs.split('.')[2])
    expect((await cli([rs, '--public-key', 'rsa.pub.pem'])).code).toBe(0)
    expect((await cli([rs, '--jwks', jwksUrl])).code).toBe(0)
    const old = await new SignJWT({ sub: 'u', exp: nowS() + 600 }).setProtectedHeader({ alg: 'RS256', kid: 'k-2025' }).sign(rsa.privateKey)
    planted.push(old.split('.')[2])
    const nf = await cli([old, '--jwks', jwksUrl])
    expect(nf.code).toBe(2)
    expect(nf.stdout.split('\n')[0]).toBe('401 because: the token\'s key id "k-2025" is not in the JWKS (it has "k-2026")')
    const hsToken = await token({ sub: 'u', exp: nowS() + 600 })
    const mm = await cli([hsToken, '--public-key', 'rsa.pub.pem', '--alg', 'RS256'])
    expect(mm.stdout.split('\n')[0]).toContain('401 because: the token is signed with HS256, the verifier accepts only RS256 (HMAC vs RS256')
    const missing = await cli([hsToken, '--public-key', 'nope.pem'])
    expect(missing.code).toBe(3)
    expect(missing.stderr).toContain('cannot read the public key file')
  })

  it('many tokens on stdin (bare, Bearer, header lines, garbage) with --json: one result each', async () => {
    const good = await token({ sub: 'a', exp: nowS() + 600 })
    const expired = await token({ sub: 'b', exp: nowS() - 600 })
    const stdin = [good, `Bearer ${expired}`, '', `Authorization: Bearer ${good}`, 'not-a-jwt', `Authorization: Bearer Bearer ${good}`].join('\n') + '\n'
    const r = await cli(['--json', '--secret', SECRET], { stdin })
    expect(r.code).toBe(2)
    const doc = JSON.parse(r.stdout)
    expect(doc).toMatchObject({ schemaVersion: 1, command: 'jwt', status: 'critical', summary: { tokens: 5, ok: 2, warning: 0, critical: 3 } })
    expect(doc.tokens.map((t: { source: string }) => t.source)).toEqual(['stdin line 1', 'stdin line 2', 'stdin line 4', 'stdin line 5', 'stdin line 6'])
    expect(doc.tokens.map((t: { findings: { id: string }[] }) => t.findings.map((f) => f.id))).toEqual([[], ['jwt.expired'], [], ['jwt.malformed'], ['jwt.malformed']])
    expect(doc.tokens[0].claims).toEqual({ sub: 'a', exp: expect.any(Number) })
    expect(doc.tokens[2].carrier).toBe('authorization header')
    expect(doc.tokens[4].findings[0].evidence[0].observed).toContain('carries "Bearer" twice')
    expect(doc.tokens[4].claims.sub).toBe('a')
    expect(doc.tokens[1].findings[0]).toMatchObject({ id: 'jwt.expired', severity: 'critical', target: 'token 2' })
  })

  it('a pasted request (curl -v lines, other headers) yields only its credential', async () => {
    const t = await token({ sub: 'a', exp: nowS() + 600 })
    const stdin = ['* Connected to api.example.com', '> GET /api/notes HTTP/1.1', '> Host: api.example.com', '> User-Agent: curl/8.5.0', `> Authorization: Bearer ${t}`, '> Accept: */*', '>', '< HTTP/1.1 401 Unauthorized', '{"detail":"Invalid token"}'].join('\n')
    const r = await cli(['--secret', SECRET], { stdin })
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n')[0]).toMatch(/^OK: token is valid/)
    expect(r.stdout).toContain("note: skipped 7 lines without a credential (request line, other headers, curl's * and < lines)")
  })

  it('"-" reads stdin; text output for several tokens labels each and sums up', async () => {
    const a = await token({ sub: 'a', exp: nowS() + 600 })
    const r = await cli(['-', '--secret', SECRET], { stdin: `${a}\n${a}.x\n` })
    expect(r.stdout).toMatch(/^token 1 \(stdin line 1\): OK: token is valid/)
    expect(r.stdout).toContain('token 2 (stdin line 2): 401 because: the token has 4 parts')
    expect(r.stdout).toContain('2 tokens: 1 ok, 0 warning, 1 critical')
  })

  it('terminal escapes in the header and claims never reach the screen raw', async () => {
    const evil = '\u001b]0;pwned\u0007\u001b[2J'
    const t = await new SignJWT({ sub: evil, [evil]: 1, roles: [evil], exp: nowS() - 5 }).setProtectedHeader({ alg: 'HS256', kid: evil }).sign(enc(SECRET))
    planted.push(t, t.split('.')[2])
    const r = await cli([t, '--jwks', jwksUrl, '--need', 'x'])
    expect(r.code).toBe(2)
    expect(r.stdout).not.toContain('\u001b')
    expect(r.stdout).not.toContain('\u0007')
    expect(r.stdout).toContain('key id "\\u001b]0;pwned\\u0007\\u001b[2J" is not in the JWKS')
  })

  it('colour only on a terminal, and never with NO_COLOR or --no-color', async () => {
    const t = await token({ sub: 'a', exp: nowS() - 100 })
    expect((await cli([t, '--secret', SECRET], { tty: true })).stdout).toContain('\u001b[31m')
    expect((await cli([t, '--secret', SECRET], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[')
    expect((await cli([t, '--secret', SECRET, '--no-color'], { tty: true })).stdout).not.toContain('\u001b[')
    expect((await cli([t, '--secret', SECRET])).stdout).not.toContain('\u001b[')
  })

  it('no token at all: usage error, exit 3', async () => {
    const r = await cli([], { stdin: '\n\n' })
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('medic: no token on stdin (only blank lines)')
    expect(r.stderr).toContain('hint:')
  })

  it('without flags or config, JWT_SECRET_KEY from the environment verifies', async () => {
    const t = await token({ sub: 'a', exp: nowS() + 600 })
    const r = await cli([t], { env: { JWT_SECRET_KEY: SECRET } })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('note: verifying with JWT_SECRET_KEY from the environment')
  })

  it('--config: auth.jwt, otherSecrets and auth.routes (--route), and an unknown route', async () => {
    const cdir = mkdtempSync(join(dir, 'cfg-'))
    const OLD = 'old-rotated-secret-Lk9Jh8Gf7Ds6Ap5Oi4Uy3Tr2'
    planted.push(OLD)
    writeFileSync(
      join(cdir, 'medic.yaml'),
      `auth:\n  jwt:\n    secret: "\${APP_JWT}"\n    otherSecrets: ["${OLD}"]\n    issuer: voiceassist\n    algorithms: [HS256]\n  routes:\n    "DELETE /admin/users": ["admin:*"]\n`,
    )
    const rotated = await token({ sub: 'a', iss: 'voiceassist', exp: nowS() + 600 }, OLD)
    const r = await runCli(['jwt', rotated, '--config', join(cdir, 'medic.yaml')], { cwd: dir, env: { APP_JWT: SECRET } })
    expect(r.code).toBe(2)
    expect(r.stdout.split('\n')[0]).toBe('401 because: signed with a different key (it verifies with otherSecrets[0], not the configured secret)')
    for (const s of planted) expect(r.stdout + r.stderr).not.toContain(s)
    const user = await token({ sub: 'a', iss: 'voiceassist', exp: nowS() + 600, permissions: ['admin:read'] })
    const route = await runCli(['jwt', user, '--route', 'DELETE /admin/users'], { cwd: cdir, env: { APP_JWT: SECRET } })
    expect(route.stdout.split('\n')[0]).toBe('403 because: token lacks admin:* for DELETE /admin/users (has: admin:read)')
    const unknown = await runCli(['jwt', user, '--route', 'GET /nope'], { cwd: cdir, env: { APP_JWT: SECRET } })
    expect(unknown.code).toBe(3)
    expect(unknown.stderr).toContain('Configured routes: DELETE /admin/users.')
  })

  it('--api-key from stdin lines and from auth.apiKey; an X-API-Key header line is recognised alone', async () => {
    const r = await cli(['--api-key', '--pattern', '^sk_(live|test)_[A-Za-z0-9]{24,}$'], { stdin: `${API_KEY}\n"${API_KEY}"\nAuthorization: Bearer Bearer ${API_KEY}\n` })
    expect(r.code).toBe(2)
    expect(r.stdout).toContain('token 1 (stdin line 1): OK: the key looks well formed (sk_live_… (34 characters))')
    expect(r.stdout).toContain('token 2 (stdin line 2): 401 because: the key is wrapped in quotes')
    expect(r.stdout).toContain('token 3 (stdin line 3): 401 because: the key carries its own "Bearer " prefix, so the header says "Bearer" twice')
    const header = await cli([`X-API-Key: ${API_KEY} `])
    expect(header.stdout.split('\n')[0]).toBe('401 because: the key ends with a space')
    const cdir = mkdtempSync(join(dir, 'key-'))
    writeFileSync(join(cdir, 'medic.yaml'), 'auth:\n  apiKey: { variable: PAYMENTS_KEY, pattern: "^sk_live_" }\n')
    const missing = await cli(['--api-key', '--json'], { cwd: cdir, env: {} })
    expect(missing.code).toBe(2)
    expect(JSON.parse(missing.stdout).tokens[0]).toMatchObject({ kind: 'apikey', source: 'variable PAYMENTS_KEY', findings: [{ id: 'apikey.missing' }] })
    const present = await cli(['--api-key'], { cwd: cdir, env: { PAYMENTS_KEY: API_KEY } })
    expect(present.code).toBe(0)
  })
})
