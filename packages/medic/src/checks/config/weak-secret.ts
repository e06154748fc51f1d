/**
 * config.secrets: the app's signing and encryption secrets are set, not a published default, long
 * enough and not of low entropy. Critical in production (the app's own "SECURITY FAILURE" start-up
 * refusal, or worse, a forgeable session), a warning elsewhere. The value is never shown.
 */
import { defineCheck } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { appEnvironment, observeEnvironment, shortPath, whereSet, type AppEnvironment } from './environment.js'
import { emptiness, requirements } from './missing-variable.js'
import { judgeSecret } from './secrets.js'

/** Well-known secret names, judged whenever the app's environment holds them. */
export const WELL_KNOWN_SECRETS = [
  'SECRET_KEY',
  'JWT_SECRET',
  'JWT_SECRET_KEY',
  'ENCRYPTION_KEY',
  'ENCRYPTION_SALT',
  'SESSION_SECRET',
  'COOKIE_SECRET',
  'APP_SECRET',
  'APP_KEY',
  'DJANGO_SECRET_KEY',
  'FLASK_SECRET_KEY',
  'NEXTAUTH_SECRET',
  'AUTH_SECRET',
  'SECRET_KEY_BASE',
]
/** Other names in the .env that hold a secret of the same kind. */
const SECRET_NAME = /SECRET(?!_NAME|_ARN|_ID$)|_SALT$|^SALT$|SIGNING_KEY|ENCRYPTION_KEY/
/** Passwords are chosen by people: only the known-default rule applies to them. */
const PASSWORD_NAME = /(?:^|_)(?:PASSWORD|PASSWD|PASS)$/

interface Candidate {
  name: string
  /** Named in `env.secrets` (so "missing" is a problem) or inferred. */
  configured: boolean
  password: boolean
}

export function secretCandidates(env: AppEnvironment): Candidate[] {
  const out = new Map<string, Candidate>()
  for (const name of env.settings.secrets) out.set(name, { name, configured: true, password: false })
  for (const name of WELL_KNOWN_SECRETS) if (name in env.vars && !out.has(name)) out.set(name, { name, configured: false, password: false })
  for (const name of env.dotenv.keys) {
    if (out.has(name)) continue
    if (SECRET_NAME.test(name)) out.set(name, { name, configured: false, password: false })
    else if (PASSWORD_NAME.test(name)) out.set(name, { name, configured: false, password: true })
  }
  return [...out.values()]
}

export default defineCheck({
  meta: {
    id: 'config.secrets',
    title: 'Secrets are set and strong',
    targets: ['env'],
    description:
      'Judges the secrets named in env.secrets, the well-known ones (SECRET_KEY, JWT_SECRET_KEY, ENCRYPTION_KEY, ENCRYPTION_SALT, ...) and *SECRET*/*SALT* variables of the .env: missing, a published default (changeme, secret, your-secret-key, ...), shorter than minLength, or of low Shannon entropy. *_PASSWORD variables of the .env are checked against the default list only. Critical when environment is production.',
    defaults: { minLength: 32, minBitsPerChar: 2.5, minTotalBits: 80 },
    timeoutMs: 2000,
    findings: {
      'config.weak-secret': {
        title: 'A secret is missing or weak',
        fix: 'Generate a random value and put it in the .env (or the secret store), then restart the app: `openssl rand -hex 32` (a salt: `openssl rand -hex 16`). Rotate it if the weak value was ever deployed: sessions and tokens signed with it can be forged.',
        commands: ["awk -F= '$1==\"{name}\" {print length(substr($0, index($0,\"=\")+1)) \" characters\"}' {file}"],
      },
    },
  },
  async run(ctx, opts) {
    const env = await appEnvironment(ctx)
    observeEnvironment(ctx, env)
    const candidates = secretCandidates(env)
    if (candidates.length === 0) ctx.skip('no secrets named in env.secrets and none of the well-known secret variables is set')
    const production = ctx.config.environment === 'production'
    const severity = production ? 'critical' : 'warning'
    const expected = `≥ ${opts.minLength} characters, ≥ ${opts.minBitsPerChar} bits/char and ≥ ${opts.minTotalBits} bits, not a published default`
    let weak = 0
    const okEvidence: Evidence[] = []
    // An empty or blank variable that config.required reports is one finding, not two.
    const required = new Set(requirements(env, ctx.config).map((r) => r.name))
    for (const c of candidates) {
      const value = env.vars[c.name]
      const blank = value !== undefined && value.trim() === ''
      if (blank && (!c.configured || required.has(c.name))) {
        if (required.has(c.name)) okEvidence.push({ label: c.name, observed: `${emptiness(env, c.name)} (${whereSet(env, c.name)}): reported by config.required` })
        continue // inferred and empty: config.required speaks about empty variables
      }
      if (blank) {
        weak++
        const empty = emptiness(env, c.name)
        ctx.finding('config.weak-secret', {
          severity,
          title: `${c.name} is ${empty}${empty === 'set to blanks' ? ` ${env.origin[c.name] === 'process' ? 'in the process environment' : `in ${whereSet(env, c.name)}`}` : ''}${production ? ' in production' : ''}`,
          evidence: [
            { label: c.name, observed: `${empty} (${whereSet(env, c.name)})`, expected },
            { label: 'failed rules', observed: 'missing', expected: 'none' },
            { label: 'environment', observed: ctx.config.environment, expected: production ? 'weak secrets refused in production' : undefined },
          ],
          commands: [`awk -F= '$1=="${c.name}" {print length(substr($0, index($0,"=")+1)) " characters"}' ${shortPath(env.dotenv.path, env.base)}`],
        })
        continue
      }
      const v = judgeSecret(value, c.password ? { minLength: 0, minBitsPerChar: 0, minTotalBits: 0 } : opts)
      const numbers = `${v.length} characters, ${v.bitsPerChar.toFixed(2)} bits/char, ${Math.round(v.totalBits)} bits in total`
      if (v.failed.length === 0) {
        okEvidence.push({ label: c.name, observed: numbers })
        continue
      }
      weak++
      const dotenv = shortPath(env.dotenv.path, env.base)
      const where = v.failed.includes('missing') ? `not set (neither the process environment nor ${env.dotenv.found ? dotenv : `${dotenv}, not found`})` : `${numbers} (${whereSet(env, c.name)})`
      ctx.finding('config.weak-secret', {
        severity,
        title: `${c.name} is ${v.failed.includes('missing') ? 'missing' : `a weak secret (${v.failed.join(', ')})`}${production ? ' in production' : ''}`,
        evidence: [
          { label: c.name, observed: where, expected: c.password ? 'not a published default password' : expected },
          { label: 'failed rules', observed: v.failed.join(', '), expected: 'none' },
          { label: 'environment', observed: ctx.config.environment, expected: production ? 'weak secrets refused in production' : undefined },
        ],
        commands: [`awk -F= '$1=="${c.name}" {print length(substr($0, index($0,"=")+1)) " characters"}' ${shortPath(env.dotenv.path, env.base)}`],
      })
    }
    ctx.observe('config.secrets.checked', candidates.length)
    ctx.observe('config.secrets.weak', weak)
    if (weak === 0) ctx.ok(...okEvidence)
  },
})
