/**
 * auth.jwt: the token configured as `auth.jwt.token` (typically a failing client's token, from a
 * variable) checked the way the API checks it: structure, algorithm, key, signature, times,
 * issuer/audience, per-route permissions and, when configured, whether the subject is active.
 */
import { JwtAnalyzer, type JwtDeps } from '../../auth/analyze.js'
import { fetchJwksDocument } from '../../auth/keys.js'
import { JWT_MESSAGES } from '../../auth/messages.js'
import { subjectStateOf } from '../../auth/subject.js'
import { targetFromConfig } from '../../config/resolve.js'
import { endpointOf, pgConnection, readOnly } from '../postgres/connection.js'
import { defineCheck, type CheckContext } from '../../engine/check.js'
import { maskUrl } from '../../engine/redact.js'
import { jwtSettingsFrom, targetPlace, type AuthConfig } from './settings.js'

/**
 * The subject query runs on the postgres target's shared connection (the one the postgres checks
 * use), in a READ ONLY transaction with statement_timeout and lock_timeout.
 */
function subjectDeps(ctx: CheckContext, auth: AuthConfig): Pick<JwtDeps, 'subject' | 'subjectSource'> | undefined {
  const q = auth.jwt?.subjectQuery
  if (!q) return undefined
  const t = ctx.config.targets[q.target]
  // A wrong target name must not hide the token's own findings: the query is then a note.
  if (!t || t.kind !== 'postgres') {
    const why = !t ? `auth.jwt.subjectQuery names target "${q.target}", which is not in targets:` : `auth.jwt.subjectQuery needs a postgres target, "${q.target}" is ${t.kind}`
    return { subject: () => Promise.reject(new Error(why)) }
  }
  const pgCtx: CheckContext = { ...ctx, target: targetFromConfig(q.target, t, 'config') }
  return {
    subjectSource: `subjectQuery on ${q.target} ${maskUrl(t.url)}`,
    async subject(sub) {
      const session = await requireSessionOrThrow(pgCtx)
      return readOnly(pgCtx, session, async (query) => {
        const rows = await query(q.sql, [sub])
        return subjectStateOf(rows, rows.length ? Object.keys(rows[0]) : [])
      })
    },
  }
}

/** Like requireSession, but a failed connect becomes a note on the token, not a skipped check. */
async function requireSessionOrThrow(ctx: CheckContext) {
  const c = await pgConnection(ctx)
  if (!c.ok) {
    const e = endpointOf(String(ctx.target.options.url))
    throw new Error(`no connection to PostgreSQL at ${e.host}:${e.port} (${c.failure.kind}; see postgres.connect)`)
  }
  return c.session
}

export default defineCheck({
  meta: {
    id: 'auth.jwt',
    title: 'JWT: why the API rejects the token',
    targets: ['auth'],
    findings: JWT_MESSAGES,
    defaults: {},
    timeoutMs: 8000,
    description:
      'Decodes auth.jwt.token without trusting it, then checks it as the API would: structure, algorithm (HS256/RS256 confusion, alg none), key id against the JWKS, signature with the configured secret, public key or JWKS (and which other configured key signed it), exp/nbf/iat with the clock tolerance, issuer and audience, the permissions auth.routes require, and whether the subject is still active.',
  },
  async run(ctx) {
    const auth = ctx.target.options as unknown as AuthConfig
    const jwt = auth.jwt
    if (!jwt) return ctx.skip('no auth.jwt section in the config')
    if (!jwt.token) return ctx.skip('no token to check: set auth.jwt.token (for example "${FAILING_TOKEN}") or run `medic jwt <token>`')
    const settings = jwtSettingsFrom(jwt, auth.routes ?? {}, targetPlace(ctx.target.options).baseDir)
    const subject = subjectDeps(ctx, auth)
    const analyzer = new JwtAnalyzer(settings, {
      now: ctx.now,
      fetchJwks: (url) => fetchJwksDocument(url, { timeoutMs: Math.max(100, ctx.remainingMs() - 200), signal: ctx.signal }),
      ...subject,
    })
    await analyzer.prepare()
    const a = await analyzer.analyze(jwt.token)
    const exp = a.times.find((t) => t.claim === 'exp')
    ctx.observe('jwt.decoded', a.header !== undefined)
    ctx.observe('jwt.alg', typeof a.header?.alg === 'string' ? a.header.alg : null)
    ctx.observe('jwt.signature', a.signature.state)
    ctx.observe('jwt.expiresInSeconds', exp ? Math.round(exp.value - ctx.now() / 1000) : null)
    ctx.observe('jwt.status', a.status)
    // Nothing wrong found but the signature could not be checked (empty secret, JWKS down): not OK, a skip that says why.
    if (a.status === 'unknown' && a.findings.length === 0) return ctx.skip(`cannot verify the token's signature: ${a.unverified}`)
    // Notes (a subject query that failed, exp in milliseconds...) ride along with the first finding.
    const notes = [...(a.unverified ? [`signature not verified: ${a.unverified}`] : []), ...a.notes].map((n) => ({ label: 'note', observed: n }))
    a.findings.forEach((f, i) => {
      ctx.finding(f.id, { severity: f.severity, title: f.title, evidence: i === 0 ? [...f.evidence, ...notes] : f.evidence, fix: f.fix, commands: f.commands })
    })
    if (a.findings.length === 0) ctx.ok({ label: 'verdict', observed: a.verdict }, ...a.notes.map((n) => ({ label: 'note', observed: n })))
  },
})
