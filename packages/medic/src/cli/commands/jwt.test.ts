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
import { freePort } from '../../../test/helpers/ports.js'

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
    expect(missing.stderr).toContain(`medic: cannot read --public-key nope.pem (file not found: ${join(dir, 'nope.pem')})`)
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

// Bugs a user hit: mistakes of the user are usage errors (exit 3, one line and a hint, never a
// stack trace), and what medic could not check is said, not turned into a finding.
describe('medic jwt: user mistakes and unusable inputs', () => {
  const noStack = (r: CliRun) => {
    expect(r.stderr).not.toContain('internal error')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  }

  it('--public-key that does not exist or is a directory: exit 3, "cannot read --public-key" and a hint', async () => {
    const t = await token({ sub: 'u', exp: nowS() + 600 })
    const missing = await cli([t, '--public-key', '/nonexistent.pem'])
    expect(missing.code).toBe(3)
    noStack(missing)
    expect(missing.stdout).toBe('')
    expect(missing.stderr.split('\n')[0]).toBe('medic: cannot read --public-key /nonexistent.pem (file not found)')
    expect(missing.stderr).toMatch(/\nhint: Give the path of a PEM public key/)
    const directory = await cli([t, '--public-key', tmpdir()])
    expect(directory.code).toBe(3)
    noStack(directory)
    expect(directory.stderr.split('\n')[0]).toBe(`medic: cannot read --public-key ${tmpdir()} (it is a directory, not a file)`)
  })

  it('--public-key files that hold no key (text, a certificate-shaped garbage block, broken JSON, empty): exit 3 naming the file', async () => {
    const t = await token({ sub: 'u', exp: nowS() + 600 })
    writeFileSync(join(dir, 'notes.pem'), 'this is not a key\n')
    writeFileSync(join(dir, 'garbage.pem'), '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n')
    writeFileSync(join(dir, 'broken.json'), '{"kty": "RSA", ')
    writeFileSync(join(dir, 'empty.pem'), '')
    for (const [file, first] of [
      ['notes.pem', /^medic: --public-key notes.pem is not a PEM public key, certificate or JWK \(/],
      ['garbage.pem', /^medic: --public-key garbage.pem is not a PEM public key, certificate or JWK \(it holds a PEM "PUBLIC KEY" block: /],
      ['broken.json', /^medic: --public-key broken.json looks like JSON but does not parse \(expected a JWK or a JWKS\)$/],
      ['empty.pem', /^medic: --public-key empty.pem is empty/],
    ] as const) {
      const r = await cli([t, '--public-key', file])
      expect(r.code, file).toBe(3)
      noStack(r)
      expect(r.stderr.split('\n')[0], file).toMatch(first)
      expect(r.stderr, file).toContain('hint: ')
    }
  })

  it('--jwks unreachable or answering HTML: the token is still analysed, the signature "not verified" with the reason, exit 3 (2 if it is expired)', async () => {
    const rs = await new SignJWT({ sub: 'u', exp: nowS() + 600 }).setProtectedHeader({ alg: 'RS256', kid: 'k-2026' }).sign(rsa.privateKey)
    planted.push(rs.split('.')[2])
    const down = `http://127.0.0.1:${await freePort()}/jwks`
    const r = await cli([rs, '--jwks', down])
    expect(r.code).toBe(3)
    noStack(r)
    expect(r.stdout.split('\n')[0]).toBe(`cannot verify the signature: could not fetch the JWKS from ${down}: ECONNREFUSED`)
    expect(r.stdout).toContain(`  signature  not verified: could not fetch the JWKS from ${down}: ECONNREFUSED`)
    const html = createServer((_q, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Sign in</title>'))
    await new Promise<void>((ok) => html.listen(0, '127.0.0.1', ok))
    try {
      const url = `http://127.0.0.1:${(html.address() as { port: number }).port}/jwks`
      const h = await cli([rs, '--jwks', url, '--json'])
      expect(h.code).toBe(3)
      const doc = JSON.parse(h.stdout)
      expect(doc).toMatchObject({ status: 'unknown', summary: { tokens: 1, ok: 0, critical: 0, unknown: 1 } })
      expect(doc.tokens[0].verdict).toBe(`cannot verify the signature: ${url} did not answer JSON (expected a JWKS): it answered an HTML page (text/html; charset=utf-8), probably a login page or the wrong path`)
    } finally {
      await new Promise<void>((ok) => html.close(() => ok()))
    }
    const expired = await new SignJWT({ sub: 'u', exp: nowS() - 600 }).setProtectedHeader({ alg: 'RS256', kid: 'k-2026' }).sign(rsa.privateKey)
    planted.push(expired.split('.')[2])
    const e = await cli([expired, '--jwks', down])
    expect(e.code).toBe(2)
    expect(e.stdout.split('\n')[0]).toMatch(/^401 because: token expired 10 min( \d+ s)? ago/)
    const notUrl = await cli([rs, '--jwks', 'jwks.json'])
    expect(notUrl.code).toBe(3)
    expect(notUrl.stderr).toContain('medic: --jwks "jwks.json" is not an http(s) URL\nhint: Give the JWKS URL (e.g. https://issuer.example.com/.well-known/jwks.json); for a JWKS or JWK file use --public-key <file>.')
  })

  it('--secret "" or "$UNSET": exit 3 saying the secret is empty, not "the signature does not verify"', async () => {
    const t = await token({ sub: 'u', exp: nowS() + 600 })
    for (const empty of ['', ' ']) {
      const r = await cli([t, '--secret', empty])
      expect(r.code).toBe(3)
      noStack(r)
      expect(r.stdout).toBe('')
      expect(r.stderr.split('\n')[0]).toBe(`medic: --secret is empty${empty ? ' (only whitespace)' : ''}: the variable you passed is probably unset`)
      expect(r.stderr).toContain('hint: Check the variable (`printenv JWT_SECRET_KEY | wc -c`)')
    }
  })

  it('auth.jwt.secret "${JWT_SECRET_KEY:-}" with the variable unset: "cannot verify the signature: auth.jwt.secret is empty", exit 3', async () => {
    const cdir = mkdtempSync(join(dir, 'empty-secret-'))
    writeFileSync(join(cdir, 'medic.yaml'), 'auth:\n  jwt:\n    secret: "${JWT_SECRET_KEY:-}"\n')
    const t = await token({ sub: 'u', exp: nowS() + 600 })
    const r = await cli([t], { cwd: cdir, env: {} })
    expect(r.code).toBe(3)
    expect(r.stdout.split('\n')[0]).toBe('cannot verify the signature: auth.jwt.secret is empty: the variable it comes from is probably unset')
    expect(r.stdout).not.toContain('does not verify')
  })

  it('without config, an empty JWT_SECRET_KEY in the environment is named in a note', async () => {
    const t = await token({ sub: 'u', exp: nowS() + 600 })
    const r = await cli([t], { env: { JWT_SECRET_KEY: '' } })
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n')[0]).toContain('OK as far as medic can tell (signature not verified: no secret, public key or JWKS given)')
    expect(r.stdout).toContain('note: JWT_SECRET_KEY is set but empty in the environment or .env: not used')
  })

  it('--pattern that is not a regular expression: exit 3 "--pattern is not a valid regular expression"; same for auth.apiKey.pattern', async () => {
    const r = await cli(['--api-key', 'sk_live_abc', '--pattern', '([a-'])
    expect(r.code).toBe(3)
    noStack(r)
    expect(r.stdout).toBe('')
    expect(r.stderr.split('\n')[0]).toMatch(/^medic: --pattern is not a valid regular expression: Invalid regular expression: \/\(\[a-\/: /)
    expect(r.stderr).toContain('hint: Write a JavaScript regular expression')
    const cdir = mkdtempSync(join(dir, 'bad-pattern-'))
    writeFileSync(join(cdir, 'medic.yaml'), 'auth:\n  apiKey: { variable: PAYMENTS_KEY, pattern: "^sk_(live" }\n')
    const c = await cli(['--api-key'], { cwd: cdir, env: { PAYMENTS_KEY: API_KEY } })
    expect(c.code).toBe(3)
    noStack(c)
    // medic.yaml is validated first: the error names the file, the line and the key.
    expect(c.stderr.split("\n")[0]).toMatch(/^medic: .*medic\.yaml:2 auth\.apiKey\.pattern: is not a valid regular expression/)
  })

  it('--alg XX999 (or hs256): exit 3 listing the supported algorithms', async () => {
    const t = await token({ sub: 'u', exp: nowS() + 600 })
    const r = await cli([t, '--secret', SECRET, '--alg', 'XX999'])
    expect(r.code).toBe(3)
    noStack(r)
    expect(r.stderr).toBe('medic: --alg: unknown algorithm "XX999"\nhint: Supported: HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, Ed25519.\n')
    const lower = await cli([t, '--secret', SECRET, '--alg', 'RS256,hs256'])
    expect(lower.code).toBe(3)
    expect(lower.stderr.split('\n')[0]).toBe('medic: --alg: unknown algorithm "hs256" (did you mean HS256?)')
  })

  it('stdin: a bare expired token after a curl "> Authorization" line is analysed, not skipped', async () => {
    const good = await token({ sub: 'a', exp: nowS() + 600 })
    const expired = await token({ sub: 'b', exp: nowS() - 600 })
    const stdin = [`> Authorization: Bearer ${good}`, expired, `Bearer ${expired}`, '< HTTP/1.1 401 Unauthorized', '{"detail":"expired"}'].join('\n') + '\n'
    const r = await cli(['--secret', SECRET, '--json'], { stdin })
    expect(r.code).toBe(2)
    const doc = JSON.parse(r.stdout)
    expect(doc.tokens.map((x: { source: string }) => x.source)).toEqual(['stdin line 1', 'stdin line 2', 'stdin line 3'])
    expect(doc.tokens.map((x: { findings: { id: string }[] }) => x.findings.map((f) => f.id))).toEqual([[], ['jwt.expired'], ['jwt.expired']])
    expect(doc.notes).toEqual(["skipped 2 lines without a credential (request line, other headers, curl's * and < lines)"])
  })

  it('a huge exp: "expired more than 1000 years ago" and the raw number, never 1.15e+25 d', async () => {
    const t = await token({ sub: 'u', exp: -1e30 })
    const r = await cli([t, '--secret', SECRET])
    expect(r.code).toBe(2)
    expect(r.stdout.split('\n')[0]).toBe('401 because: token expired more than 1000 years ago (exp -1e+30)')
    expect(r.stdout).toContain('    exp        -1e+30  -1e+30 (expired more than 1000 years ago)')
    expect(r.stdout).not.toMatch(/e\+\d+ d/)
    const far = await token({ sub: 'u', exp: 253402300800 })
    const f = await cli([far, '--secret', SECRET])
    expect(f.stdout).toContain('    exp        253402300800  253402300800 (in more than 1000 years)')
    expect(f.stdout).toContain('note: exp 253402300800 looks like milliseconds, not seconds (read as milliseconds: 1978-01-11T21:31:40Z)')
    const ms = await token({ sub: 'u', exp: Date.now() + 600_000 })
    expect((await cli([ms, '--secret', SECRET])).stdout).toMatch(/note: exp \d+ looks like milliseconds, not seconds \(read as milliseconds: 20\d\d-/)
    const huge = await token({ sub: 'u', exp: 1e30 })
    expect((await cli([huge, '--secret', SECRET])).stdout).toContain('expires in more than 1000 years (1e+30)')
  })
})
