/**
 * Why would an API answer 401 (or 403) to this token? Decode, check times and claims, verify the
 * signature with every configured key, and explain: one finding per cause, a verdict line for
 * people. Used by the `auth.jwt` check and by `medic jwt`; I/O (JWKS, the subject query) comes in
 * through `JwtDeps` so both callers and the tests decide how it happens.
 */
// jose is loaded on first verification (start-up time of every medic command).
import type * as Jose from 'jose'
const jose = (): Promise<typeof Jose> => import('jose')
import { UserError } from '../engine/errors.js'
import { maskUrl } from '../engine/redact.js'
import type { Evidence, Severity } from '../engine/types.js'
import { humanDuration, isoOfSeconds, relative } from './duration.js'
import { algInfo, incompatibility, verifyHmacSync, jwksFromDocument, publicKeyCandidate, secretCandidate, SUPPORTED_ALGS, type Candidate, type Jwks } from './keys.js'
import { JWT_MESSAGES, type JwtFindingId } from './messages.js'
import { checkPermissions, describeGrants, grantsOf, type Grant, type PermissionCheck } from './permissions.js'
import { parseToken, safe, safeJson, TIME_CLAIMS, type DecodedJwt, type ParsedInput } from './token.js'

export interface JwtSettings {
  secret?: string
  /** Where the secret came from, for messages: `--secret`, `auth.jwt.secret`, `JWT_SECRET_KEY`. */
  secretName?: string
  /** PEM public key or certificate, or a JWK, as text (callers read files). */
  publicKey?: string
  /** Where the public key came from, for messages: `--public-key ./pub.pem`, `auth.jwt.publicKey`. */
  publicKeyName?: string
  /** JWKS URL. */
  jwks?: string
  algorithms?: string[]
  issuer?: string
  audience?: string | string[]
  clockToleranceSeconds?: number
  /** Keys the app may have used instead (old secret, another environment's key): tells "wrong key" apart. */
  otherSecrets?: string[]
  /** Permissions every request needs (`--need`). */
  need?: string[]
  /** Per-route requirements to evaluate (`"DELETE /admin/users": ["admin:*"]`). */
  routes?: Record<string, string[]>
}

export interface SubjectState {
  found: boolean
  active: boolean
  /** `is_active = false`, `no row`: what the query answered (no secrets). */
  detail: string
}

export interface JwtDeps {
  now?: () => number
  /** Fetch a JWKS document (JSON) for a URL. */
  fetchJwks?: (url: string) => Promise<unknown>
  /** Answer whether the subject is active (a read-only query). */
  subject?: (sub: string) => Promise<SubjectState>
  /** Where the subject answer comes from, for evidence: `query on target db`. */
  subjectSource?: string
}

export interface FindingDraft {
  id: JwtFindingId
  severity: Severity
  title: string
  /** The short reason for the verdict line: `token expired 3 h 12 min ago (exp ...)`. */
  because: string
  evidence: Evidence[]
  fix: string
  commands: string[]
  /** What the API answers for this cause. */
  httpStatus: 401 | 403
}

export interface TimeClaim {
  claim: string
  value: number
  iso: string
  relative: string
}

export interface JwtAnalysis {
  /** `unknown`: nothing wrong found, but the signature could not be checked with the configured keys (see `unverified`). */
  status: 'ok' | 'warning' | 'critical' | 'unknown'
  verdict: string
  carrier: ParsedInput['carrier']
  header?: Record<string, unknown>
  claims?: Record<string, unknown>
  times: TimeClaim[]
  signature: { state: 'verified' | 'invalid' | 'not-checked'; detail: string }
  grants: Grant[]
  permissions: (PermissionCheck & { route?: string })[]
  findings: FindingDraft[]
  notes: string[]
  /** Why a configured key source could not be used (an empty secret, an unreachable JWKS), when the signature went unchecked because of it. */
  unverified?: string
}

/** Verdict order: what a server trips on first comes first. */
const PRIORITY: JwtFindingId[] = [
  'jwt.malformed',
  'jwt.algorithm-mismatch',
  'jwt.key-not-found',
  'jwt.signature-invalid',
  'jwt.expired',
  'jwt.not-yet-valid',
  'jwt.claim-mismatch',
  'jwt.subject-inactive',
  'jwt.permission-missing',
  'jwt.no-expiry',
]

/** Evidence labels; never "token:" (output redaction masks whatever follows "token:"). */
const PART_LABEL: Record<string, string> = {
  'authorization header': 'authorization header',
  token: 'token format',
  header: 'header part',
  claims: 'claims part',
  signature: 'signature part',
}

const EXPECTED_SHAPE: Record<string, string> = {
  'authorization header': 'Authorization: Bearer <token>',
  token: 'three base64url parts: header.claims.signature',
  header: 'base64url of a JSON object with "alg"',
  claims: 'base64url of a JSON object',
  signature: 'base64url, no padding',
}

function draft(id: JwtFindingId, severity: Severity, because: string, evidence: Evidence[], extra: { title?: string; fix?: string; httpStatus?: 401 | 403; commands?: string[] } = {}): FindingDraft {
  const m = JWT_MESSAGES[id]
  return {
    id,
    severity,
    // "token expired 3 h ago" says it all; "issuer \"x\" is not \"y\"" needs the finding's title before it.
    title: extra.title ?? (/^(token |the token|the signature|the account|no account)/.test(because) ? because : `${m.title}: ${because}`),
    because,
    evidence,
    fix: extra.fix ?? m.fix,
    commands: extra.commands ?? [...m.commands],
    httpStatus: extra.httpStatus ?? 401,
  }
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])
const quoteList = (xs: string[]) => xs.slice(0, 20).map((x) => safeJson(x, 60)).join(', ') + (xs.length > 20 ? ` and ${xs.length - 20} more` : '')

/** Prepared once for many tokens: keys imported once, the JWKS fetched once. */
export class JwtAnalyzer {
  private readonly primary: Candidate[] = []
  private readonly others: Candidate[] = []
  private readonly variants: Candidate[] = []
  private jwks?: Promise<Jwks>
  private jwksTried = false
  /** Configured key sources that cannot be used: `auth.jwt.secret is empty ...`, `could not fetch the JWKS ...`. */
  readonly keyProblems: string[] = []
  private readonly subjects = new Map<string, Promise<SubjectState>>()
  private readonly now: () => number

  /** Throws a plain message when a configured key cannot be read (a usage error, not a finding). */
  constructor(
    readonly settings: JwtSettings,
    private readonly deps: JwtDeps = {},
  ) {
    this.now = deps.now ?? Date.now
    const { secret, publicKey } = settings
    if (secret !== undefined && secret.trim() === '') {
      // "${JWT_SECRET_KEY:-}" with the variable unset: every signature would "not verify", which hides the real cause.
      this.keyProblems.push(`${settings.secretName ?? 'the configured secret'} is empty${secret.length ? ' (only whitespace)' : ''}: the variable it comes from is probably unset`)
    } else if (secret !== undefined) {
      this.primary.push(secretCandidate(secret, 'the configured secret'))
      // Common ways a shared secret drifts between issuer and verifier, tried only after a failure.
      if (secret.trim() !== secret && secret.trim()) this.variants.push(secretCandidate(secret.trim(), 'the configured secret without its surrounding whitespace: the configured value carries a space or line break'))
      if (/^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(secret.trim())) {
        const decoded = Buffer.from(secret.trim(), secret.includes('-') || secret.includes('_') ? 'base64url' : 'base64')
        if (decoded.length >= 12) this.variants.push(secretCandidate(new Uint8Array(decoded), 'the configured secret base64-decoded: the issuer treats the secret as base64, the verifier as text (or the other way round)'))
      }
    }
    if (publicKey !== undefined) this.addPublicKey(publicKey)
    ;(settings.otherSecrets ?? []).forEach((s, i) => {
      const label = `otherSecrets[${i}]`
      const t = s.trim()
      this.others.push(t.startsWith('-----BEGIN') || t.startsWith('{') ? publicKeyCandidate(t, label) : secretCandidate(s, label))
    })
  }

  /** PEM or certificate; or JSON: a JWK (an `oct` JWK is a shared secret) or a whole JWKS. */
  private addPublicKey(text: string): void {
    const t = text.trim()
    const name = this.settings.publicKeyName ?? 'the public key'
    const hint = 'Give the issuer\'s public key as PEM ("-----BEGIN PUBLIC KEY-----"), its certificate, or a JWK/JWKS JSON file.'
    if (t === '') throw new UserError(`${name} is empty (expected a PEM public key, certificate, JWK or JWKS)`, hint)
    if (t.startsWith('{')) {
      let doc: { keys?: unknown; kty?: unknown; k?: unknown }
      try {
        doc = JSON.parse(t)
      } catch {
        throw new UserError(`${name} looks like JSON but does not parse (expected a JWK or a JWKS)`, hint)
      }
      if (Array.isArray(doc.keys)) {
        this.jwks = Promise.resolve(jwksFromDocument(doc, 'the JWKS file'))
        return
      }
      if (doc.kty === 'oct' && typeof doc.k === 'string') {
        this.primary.push(secretCandidate(new Uint8Array(Buffer.from(doc.k, 'base64url')), 'the JWK shared key (kty oct)'))
        return
      }
    }
    this.primary.push(publicKeyCandidate(t, 'the public key', name))
  }

  /**
   * Fetch the JWKS (once). Never rejects: a JWKS that cannot be fetched or is not a JWKS becomes a
   * key problem, and tokens are still analysed (expired, wrong audience...) with the signature unchecked.
   */
  private preparing?: Promise<void>
  prepare(): Promise<void> {
    if (!this.settings.jwks || this.jwksTried) return this.preparing ?? Promise.resolve()
    this.jwksTried = true
    const url = this.settings.jwks
    const fetcher = this.deps.fetchJwks
    if (!fetcher) {
      this.keyProblems.push('a JWKS URL is configured but no way to fetch it was given')
      return Promise.resolve()
    }
    const jwks = Promise.resolve()
      .then(() => fetcher(url))
      .then((doc) => jwksFromDocument(doc, url))
    this.preparing = jwks.then(
      (j) => {
        this.jwks = Promise.resolve(j)
      },
      (err: unknown) => {
        this.keyProblems.push(err instanceof Error ? err.message : String(err))
      },
    )
    return this.preparing
  }

  get hasKeys(): boolean {
    return this.primary.length > 0 || Boolean(this.settings.jwks) || Boolean(this.jwks)
  }

  async analyze(input: string): Promise<JwtAnalysis> {
    const parsed = parseToken(input)
    const findings: FindingDraft[] = []
    const notes = [...parsed.notes]
    if (parsed.problems.length > 0) {
      const first = parsed.problems[0]
      findings.push(
        draft(
          'jwt.malformed',
          'critical',
          `${first.reason}`,
          parsed.problems.map((p) => ({ label: PART_LABEL[p.part], observed: p.reason, expected: EXPECTED_SHAPE[p.part] })),
        ),
      )
    }
    const base: JwtAnalysis = {
      status: 'ok',
      verdict: '',
      carrier: parsed.carrier,
      times: [],
      signature: { state: 'not-checked', detail: 'not checked' },
      grants: [],
      permissions: [],
      findings,
      notes,
    }
    if (!parsed.decoded) {
      base.signature.detail = 'not checked: the token could not be decoded'
      return finish(base)
    }
    const d = parsed.decoded
    base.header = d.header
    base.claims = d.claims
    const nowMs = this.now()
    base.times = timesOf(d.claims, nowMs)
    await this.checkSignature(d, base, notes)
    // Another key was usable, but the one that failed may be the one that signed this token.
    if (base.signature.state !== 'verified' && !base.unverified) for (const p of this.keyProblems) notes.push(`not used: ${p}`)
    this.checkClaims(d, base, nowMs, notes)
    this.checkPermissions(d, base)
    await this.checkSubject(d, base, notes)
    return finish(base)
  }

  private async checkSignature(d: DecodedJwt, out: JwtAnalysis, notes: string[]): Promise<void> {
    const alg = d.header.alg as string
    const kid = typeof d.header.kid === 'string' ? d.header.kid : undefined
    const allowed = this.settings.algorithms ?? []
    const push = (f: FindingDraft) => out.findings.push(f)
    if (alg.toLowerCase() === 'none') {
      push(
        draft('jwt.algorithm-mismatch', 'critical', 'the token is unsigned (alg "none"): anyone can forge it and verifiers must reject it', [
          { label: 'alg', observed: `${safeJson(alg)} (unsigned, signature part ${d.signatureBytes === 0 ? 'empty' : `${d.signatureBytes} bytes`})`, expected: allowed.length ? `one of ${allowed.join(', ')}` : 'a signing algorithm such as HS256 or RS256' },
        ]),
      )
      out.signature = { state: 'invalid', detail: 'unsigned token (alg none)' }
      return
    }
    if (allowed.length > 0 && !allowed.includes(alg)) {
      const info = algInfo(alg)
      const theirs = allowed.map((a) => algInfo(a)?.family)
      const confusion = info && !theirs.includes(info.family) ? ` (${info.family === 'hmac' ? 'HMAC' : alg.slice(0, 2)} vs ${allowed.join('/')}: the issuer and the API disagree on the kind of key)` : ''
      push(
        draft('jwt.algorithm-mismatch', 'critical', `the token is signed with ${alg}, the verifier accepts only ${allowed.join(', ')}${confusion}`, [
          { label: 'alg', observed: alg, expected: `one of ${allowed.join(', ')}` },
        ]),
      )
    }
    const info = algInfo(alg)
    if (!info) {
      push(
        draft('jwt.algorithm-mismatch', 'critical', `the token uses alg ${safeJson(alg)}, which no verifier here supports`, [
          { label: 'alg', observed: safeJson(alg), expected: `one of ${SUPPORTED_ALGS.join(', ')}` },
        ]),
      )
      out.signature = { state: 'invalid', detail: `unsupported alg ${alg}` }
      return
    }
    await this.prepare()
    let jwks: Jwks | undefined
    if (this.jwks) jwks = await this.jwks
    if (this.primary.length === 0 && !jwks) {
      if (this.keyProblems.length > 0) {
        out.unverified = this.keyProblems.join('; ')
        out.signature = { state: 'not-checked', detail: `not verified: ${out.unverified}` }
      } else {
        out.signature = { state: 'not-checked', detail: 'not verified: no secret, public key or JWKS given' }
      }
      return
    }

    if (d.signatureBytes === 0) notes.push('the signature part is empty')

    const pool: Candidate[] = [...this.primary]
    if (jwks) {
      if (kid !== undefined) {
        const withKid = jwks.candidates.filter((c) => c.kid === kid)
        if (withKid.length === 0) {
          push(
            draft('jwt.key-not-found', 'critical', `the token's key id ${safeJson(kid)} is not in the JWKS (it has ${jwks.kids.length ? quoteList(jwks.kids) : 'no kids'})`, [
              { label: 'kid', observed: safeJson(kid), expected: jwks.kids.length ? `one of ${quoteList(jwks.kids)}` : 'a key id present in the JWKS' },
              { label: 'JWKS', observed: `${maskUrl(jwks.url)}: ${jwks.candidates.length} signing key(s)`, expected: `a key with kid ${safeJson(kid)}` },
            ], { commands: JWT_MESSAGES['jwt.key-not-found'].commands.map((c) => c.replace('{jwks}', maskUrl(jwks!.url))) }),
          )
        }
        pool.push(...withKid)
      } else {
        pool.push(...jwks.candidates)
      }
    }
    const fit = pool.filter((c) => !incompatibility(c, alg))
    const misfits = pool.filter((c) => incompatibility(c, alg))
    if (fit.length === 0) {
      if (misfits.length > 0) {
        const reasons = misfits.slice(0, 3).map((c) => incompatibility(c, alg)!)
        let because = `the token is signed with ${alg} (${info.keyKind}) but the verifier has ${misfits.map((c) => c.label).slice(0, 3).join(', ')}`
        if (info.family === 'hmac' && misfits.some((c) => c.family !== 'hmac')) because += ': HS256/RS256 confusion'
        if (info.family !== 'hmac' && misfits.every((c) => c.family === 'hmac')) because += `: the issuer signs with a private key, the API expects a shared secret`
        const evidence: Evidence[] = [{ label: 'alg', observed: alg, expected: `an algorithm for ${misfits[0].label}` }, ...reasons.map((r) => ({ label: 'key', observed: r }))]
        if (info.family === 'hmac' && this.settings.publicKey && (await verifies(secretCandidate(this.settings.publicKey, 'the public key text'), d.compact, alg)) === true) {
          evidence.push({ label: 'forgery', observed: 'the token was signed with the public key text used as an HMAC secret (an algorithm-confusion forgery attempt)', expected: 'rejected' })
        }
        if (!out.findings.some((f) => f.id === 'jwt.algorithm-mismatch')) push(draft('jwt.algorithm-mismatch', 'critical', because, evidence))
      }
      out.signature = { state: 'invalid', detail: `no configured key fits ${alg}` }
      return
    }
    for (const c of fit) {
      const r = await verifies(c, d.compact, alg, d.header)
      if (r === true) {
        out.signature = { state: 'verified', detail: `verified (${alg}, ${c.label})` }
        return
      }
      if (r instanceof Error) notes.push(`${c.label} could not be used (${r.message})`)
    }
    // It does not verify: find out, where we can, which key did sign it.
    let signedWith: Candidate | undefined
    for (const c of [...this.others, ...this.variants]) {
      if (!incompatibility(c, alg) && (await verifies(c, d.compact, alg, d.header)) === true) {
        signedWith = c
        break
      }
    }
    const evidence: Evidence[] = [
      { label: 'signature', observed: `does not verify with ${fit.map((c) => c.label).join(', ')}${d.signatureBytes === 0 ? ' (the signature part is empty)' : ''}`, expected: `a valid ${alg} signature` },
    ]
    let because = `the signature does not verify with ${fit.length === 1 ? fit[0].label : `any of ${fit.length} configured keys`}`
    if (signedWith) {
      const isVariant = this.variants.includes(signedWith)
      evidence.push({ label: 'signed with', observed: isVariant ? signedWith.label : `a different key: the token verifies with ${signedWith.label}`, expected: fit[0].label })
      because = isVariant ? `the token verifies only with ${signedWith.label.split(':')[0]}` : `signed with a different key (it verifies with ${signedWith.label}, not ${fit[0].label})`
    } else if (this.others.length > 0) {
      evidence.push({ label: 'other keys', observed: `does not verify with any of the ${this.others.length} otherSecrets either` })
    }
    out.findings.push(draft('jwt.signature-invalid', 'critical', because, evidence))
    out.signature = { state: 'invalid', detail: because }
  }

  private checkClaims(d: DecodedJwt, out: JwtAnalysis, nowMs: number, notes: string[]): void {
    const c = d.claims
    const tol = this.settings.clockToleranceSeconds ?? 0
    const tolText = tol > 0 ? `${tol} s clock tolerance` : 'no clock tolerance'
    const nowIso = new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const exp = c.exp as number | undefined
    const push = (f: FindingDraft) => out.findings.push(f)
    if (exp === undefined) {
      push(draft('jwt.no-expiry', 'warning', 'the token has no exp claim: it never expires', [{ label: 'exp', observed: 'absent', expected: 'a NumericDate (short-lived access tokens)' }]))
    } else {
      // 1e11 s is year 5138; 1e14 ms would be year 5138 too: beyond that it is just a huge number, not milliseconds.
      if (exp > 1e11 && exp < 1e14) notes.push(`exp ${exp} looks like milliseconds, not seconds (read as milliseconds: ${isoOfSeconds(Math.floor(exp / 1000))}): the issuer probably wrote Date.now() and the token effectively never expires`)
      if (exp * 1000 <= nowMs - tol * 1000) {
        const ago = humanDuration(nowMs - exp * 1000)
        const evidence: Evidence[] = [
          { label: 'exp', observed: `${isoOfSeconds(exp)} (${ago} ago)`, expected: `after now (${nowIso}) minus ${tolText}` },
        ]
        if (typeof c.iat === 'number' && c.iat < exp) evidence.push({ label: 'lifetime', observed: `${humanDuration((exp - c.iat) * 1000)} (iat ${isoOfSeconds(c.iat)} to exp)` })
        push(draft('jwt.expired', 'critical', `token expired ${ago} ago (exp ${isoOfSeconds(exp)})`, evidence))
      }
    }
    for (const name of ['nbf', 'iat'] as const) {
      const v = c[name] as number | undefined
      if (v === undefined || v * 1000 <= nowMs + tol * 1000) continue
      const ahead = humanDuration(v * 1000 - nowMs)
      const because = name === 'nbf' ? `token not valid for another ${ahead} (nbf ${isoOfSeconds(v)})` : `token issued ${ahead} in the future (iat ${isoOfSeconds(v)}): the issuer's clock is ahead`
      push(draft('jwt.not-yet-valid', 'critical', because, [{ label: name, observed: `${isoOfSeconds(v)} (in ${ahead})`, expected: `not after now (${nowIso}) plus ${tolText}` }]))
      break
    }
    const mismatches: Evidence[] = []
    const reasons: string[] = []
    if (this.settings.issuer !== undefined && c.iss !== this.settings.issuer) {
      mismatches.push({ label: 'iss', observed: c.iss === undefined ? 'absent' : safeJson(c.iss), expected: JSON.stringify(this.settings.issuer) })
      reasons.push(c.iss === undefined ? 'issuer missing' : `issuer ${safeJson(c.iss)} is not ${JSON.stringify(this.settings.issuer)}`)
    }
    const wantAud = asList(this.settings.audience)
    if (wantAud.length > 0) {
      const aud = typeof c.aud === 'string' ? [c.aud] : Array.isArray(c.aud) ? c.aud.filter((x): x is string => typeof x === 'string') : []
      if (!aud.some((a) => wantAud.includes(a))) {
        mismatches.push({ label: 'aud', observed: c.aud === undefined ? 'absent' : safeJson(c.aud), expected: wantAud.length === 1 ? JSON.stringify(wantAud[0]) : `one of ${quoteList(wantAud)}` })
        reasons.push(c.aud === undefined ? 'audience missing' : `audience ${safeJson(c.aud)} is not ${wantAud.length === 1 ? JSON.stringify(wantAud[0]) : `one of ${quoteList(wantAud)}`}`)
      }
    }
    if (mismatches.length > 0) push(draft('jwt.claim-mismatch', 'critical', reasons.join(' and '), mismatches))
  }

  private checkPermissions(d: DecodedJwt, out: JwtAnalysis): void {
    out.grants = grantsOf(d.claims)
    const checks: (PermissionCheck & { route?: string })[] = checkPermissions(out.grants, this.settings.need ?? [])
    for (const [route, needs] of Object.entries(this.settings.routes ?? {})) {
      for (const pc of checkPermissions(out.grants, needs)) checks.push({ ...pc, route })
    }
    out.permissions = checks
    const missing = checks.filter((p) => !p.satisfied)
    if (missing.length === 0) return
    const names = [...new Set(missing.map((m) => m.need))]
    const routes = [...new Set(missing.map((m) => m.route).filter(Boolean))]
    const evidence: Evidence[] = missing.slice(0, 10).map((m) => ({
      label: m.route ? `${m.route} needs` : 'needs',
      observed: m.nearMisses.length ? `not granted; the token has ${describeGrants(m.nearMisses)}, which differs only in case or separator` : 'not granted',
      expected: m.need,
    }))
    evidence.push({ label: 'token grants', observed: describeGrants(out.grants) })
    const because = `token lacks ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}${routes.length ? ` for ${routes.slice(0, 3).join(', ')}` : ''} (has: ${out.grants.length ? out.grants.slice(0, 5).map((g) => safe(g.value, 60)).join(', ') : 'no roles or scopes'})`
    out.findings.push(draft('jwt.permission-missing', 'critical', because, evidence, { httpStatus: 403 }))
  }

  private async checkSubject(d: DecodedJwt, out: JwtAnalysis, notes: string[]): Promise<void> {
    const lookup = this.deps.subject
    if (!lookup) return
    const sub = d.claims.sub
    if (typeof sub !== 'string' && typeof sub !== 'number') {
      notes.push('no sub claim: the subject query was not run')
      return
    }
    const key = String(sub)
    let p = this.subjects.get(key)
    if (!p) {
      p = lookup(key)
      this.subjects.set(key, p)
    }
    let state: SubjectState
    try {
      state = await p
    } catch (err) {
      notes.push(`subject query failed: ${err instanceof Error ? err.message : String(err)}`)
      return
    }
    if (state.found && state.active) return
    const because = state.found ? `the account of sub ${safeJson(sub)} is inactive (${state.detail})` : `no account for sub ${safeJson(sub)} (${state.detail})`
    out.findings.push(
      draft('jwt.subject-inactive', 'critical', because, [
        { label: 'subject', observed: `sub ${safeJson(sub)}: ${state.detail}${this.deps.subjectSource ? ` (${this.deps.subjectSource})` : ''}`, expected: 'an existing, active account' },
      ]),
    )
  }
}

async function verifies(c: Candidate, compact: string, alg: string, header?: Record<string, unknown>): Promise<boolean | Error> {
  // Plain HMAC tokens take the synchronous path; anything unusual (crit, b64, empty key) goes through jose.
  if (c.hmacSecret && c.hmacSecret.length > 0 && header && header.crit === undefined && header.b64 === undefined && alg.startsWith('HS')) {
    const dot = compact.lastIndexOf('.')
    return verifyHmacSync(c.hmacSecret, alg, compact.slice(0, dot), compact.slice(dot + 1))
  }
  try {
    const { compactVerify } = await jose()
    await compactVerify(compact, await c.key(alg), { algorithms: [alg] })
    return true
  } catch (err) {
    const { errors: joseErrors } = await jose()
    if (err instanceof joseErrors.JWSSignatureVerificationFailed) return false
    // An empty or truncated signature, a key jose cannot use: the signature does not verify either way.
    if (err instanceof joseErrors.JWSInvalid) return false
    return err instanceof Error ? err : new Error(String(err))
  }
}

function timesOf(claims: Record<string, unknown>, nowMs: number): TimeClaim[] {
  const out: TimeClaim[] = []
  for (const claim of TIME_CLAIMS) {
    const v = claims[claim]
    if (typeof v !== 'number' || !Number.isFinite(v)) continue
    out.push({ claim, value: v, iso: isoOfSeconds(v), relative: relative(v * 1000, nowMs) })
  }
  return out
}

function finish(a: JwtAnalysis): JwtAnalysis {
  a.findings.sort((x, y) => PRIORITY.indexOf(x.id) - PRIORITY.indexOf(y.id))
  const critical = a.findings.filter((f) => f.severity === 'critical')
  const warnings = a.findings.filter((f) => f.severity === 'warning')
  const verified = a.signature.state === 'verified'
  if (critical.length > 0) {
    const first = critical[0]
    a.status = 'critical'
    const more = a.findings.length - 1
    a.verdict = `${first.httpStatus} because: ${first.because}${more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''} below)` : ''}`
    return a
  }
  if (a.unverified) {
    a.status = 'unknown'
    a.verdict = `cannot verify the signature: ${a.unverified}${warnings.length ? `; and ${warnings.map((w) => w.because).join('; ')}` : ''}`
    return a
  }
  const exp = a.times.find((t) => t.claim === 'exp')
  const validity = exp ? `expires ${exp.relative} (${exp.iso})` : 'no expiry'
  const head = verified ? `OK: token is valid, signature ${a.signature.detail}, ${validity}` : `OK as far as medic can tell (signature ${a.signature.detail}), ${validity}`
  if (warnings.length > 0) {
    a.status = 'warning'
    a.verdict = `${head}; but ${warnings.map((w) => w.because).join('; ')}`
    return a
  }
  a.status = 'ok'
  a.verdict = head
  return a
}
