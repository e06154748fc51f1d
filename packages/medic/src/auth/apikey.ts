/**
 * API keys: is one there, and would a server accept its shape? Looks for what breaks keys in
 * practice (quotes kept from a .env, a trailing newline, "Bearer " stored with the key, a
 * placeholder, the wrong pattern) and describes the key by its public prefix and length only.
 */
import { UserError } from '../engine/errors.js'
import type { Evidence, Severity } from '../engine/types.js'
import { APIKEY_MESSAGES, type ApiKeyFindingId } from './messages.js'

export interface ApiKeyDraft {
  id: ApiKeyFindingId
  severity: Severity
  title: string
  because: string
  evidence: Evidence[]
  fix: string
  commands: string[]
}

export interface ApiKeyAnalysis {
  status: 'ok' | 'critical'
  verdict: string
  /** `sk_live_… (32 characters)`: safe to print. */
  shape: string
  /** Where the key came from: `header Authorization`, `variable OPENAI_API_KEY`, `argument`. */
  source: string
  findings: ApiKeyDraft[]
}

export interface ApiKeyOptions {
  /** A regular expression the key must match (`^sk_(live|test)_[A-Za-z0-9]{24,}$`); an invalid one throws a UserError. */
  pattern?: string
  /** Where the pattern came from, for that error: `--pattern`, `auth.apiKey.pattern`. */
  patternName?: string
  /** Where the value came from, for evidence. */
  source?: string
  /** Variable name, to fill the commands. */
  variable?: string
}

/** Public prefixes providers put on keys: safe to show, and they tell key kinds apart. */
const KNOWN_PREFIXES = [
  'sk_live_', 'sk_test_', 'pk_live_', 'pk_test_', 'rk_live_', 'rk_test_', 'whsec_',
  'sk-proj-', 'sk-ant-', 'sk-svcacct-', 'sk-admin-', 'sk-', 'xoxb-', 'xoxp-', 'ghp_', 'github_pat_', 'glpat-', 'AKIA', 'AIza', 'SG.', 'key-',
]

const PLACEHOLDER = /^(<.*>|\$\{.*\}|\{\{.*\}\}|your[-_ ]?(api[-_ ]?)?key.*|xxx+|changeme|change[-_]?me|placeholder|todo|replace[-_]?me|none|null|undefined|sk_(live|test)_x+|sk-x+|\.\.\.)$/i

/**
 * The pattern as a RegExp; an invalid one is the user's mistake (a UserError naming where it came
 * from), never a finding about the key.
 */
export function compilePattern(pattern: string, name = 'the API key pattern'): RegExp {
  try {
    return new RegExp(pattern)
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err)
    throw new UserError(`${name} is not a valid regular expression: ${why}`, 'Write a JavaScript regular expression, e.g. "^sk_(live|test)_[A-Za-z0-9]{24,}$" (quote it in the shell and in YAML).')
  }
}

/** `sk_live_… (32 characters)` without any of the secret part. */
export function keyShape(value: string): string {
  const v = value.trim().replace(/^["'`]|["'`]$/g, '')
  const prefix = KNOWN_PREFIXES.find((p) => v.startsWith(p))
  return `${prefix ? `${prefix}…` : 'no known prefix'} (${value.length} characters)`
}

function describeWhitespace(ch: string): string {
  return ch === '\n' ? 'a line break (\\n)' : ch === '\r' ? 'a carriage return (\\r, a file saved with Windows line endings)' : ch === '\t' ? 'a tab' : 'a space'
}

/** Separate a header line (`Authorization: Bearer x`, `X-API-Key: x`) from the key. */
export function keyFromHeaderLine(line: string): { header?: string; scheme?: string; value: string } {
  const m = /^\s*([A-Za-z][A-Za-z0-9-]*)\s*:\s?(.*)$/s.exec(line.replace(/\r?\n$/, ''))
  if (!m || !/^(authorization|x-api-key|api-key|apikey|x-auth-token|x-access-token)$/i.test(m[1])) return { value: line.replace(/\r?\n$/, '') }
  const header = m[1]
  let value = m[2]
  let scheme: string | undefined
  if (/^authorization$/i.test(header)) {
    const s = /^(bearer|token|basic|apikey|api-key)(?: |$)/i.exec(value)
    if (s) {
      scheme = s[1]
      value = value.slice(s[0].length)
    }
  }
  return { header, scheme, value }
}

export function analyzeApiKey(value: string | undefined, opts: ApiKeyOptions = {}): ApiKeyAnalysis {
  const re = opts.pattern !== undefined ? compilePattern(opts.pattern, opts.patternName) : undefined
  const source = opts.source ?? 'the key'
  const fill = (cmds: string[]) => cmds.map((c) => c.replace('{variable}', opts.variable ?? 'API_KEY'))
  const findings: ApiKeyDraft[] = []
  const add = (id: ApiKeyFindingId, because: string, evidence: Evidence[]) =>
    findings.push({ id, severity: 'critical', title: `${APIKEY_MESSAGES[id].title}: ${because}`, because, evidence, fix: APIKEY_MESSAGES[id].fix, commands: fill(APIKEY_MESSAGES[id].commands) })

  if (value === undefined || value.trim() === '') {
    const because = value === undefined ? `${source} is not set` : `${source} is empty${value.length ? ' (only whitespace)' : ''}`
    add('apikey.missing', because, [{ label: 'key', observed: value === undefined ? 'not set' : `empty (${value.length} characters)`, expected: opts.pattern ? `a key matching ${opts.pattern}` : 'a key' }])
    return { status: 'critical', verdict: `401 because: ${because}`, shape: 'none', source, findings }
  }
  const problems: Evidence[] = []
  const reasons: string[] = []
  let v = value
  const lead = /^\s/.exec(v)
  const trail = /\s$/.exec(v)
  if (lead || trail) {
    const where = [lead ? `starts with ${describeWhitespace(lead[0])}` : '', trail ? `ends with ${describeWhitespace(trail[0])}` : ''].filter(Boolean).join(' and ')
    problems.push({ label: 'whitespace', observed: `the key ${where}`, expected: 'no surrounding whitespace' })
    reasons.push(`the key ${where}`)
    v = v.trim()
  }
  const bearer = /^bearer\s+/i.exec(v)
  if (bearer) {
    const twice = /^bearer\s+bearer\s+/i.test(v)
    problems.push({ label: 'prefix', observed: twice ? '"Bearer" appears twice before the key' : 'the stored value starts with "Bearer ": sent as "Authorization: Bearer Bearer <key>"', expected: 'the bare key (the client adds "Bearer " once)' })
    reasons.push(twice ? '"Bearer" is doubled' : 'the key carries its own "Bearer " prefix, so the header says "Bearer" twice')
    v = v.replace(/^(bearer\s+)+/i, '')
  }
  if (v.length > 1 && /^["'`]|["'`]$/.test(v)) {
    problems.push({ label: 'quotes', observed: 'the key is wrapped in quotes, which are sent as part of it', expected: 'no quotes (in .env, quotes are removed only around the whole value)' })
    reasons.push('the key is wrapped in quotes')
    v = v.replace(/^["'`]+|["'`]+$/g, '')
  }
  const inner = /\s/.exec(v)
  if (inner) {
    problems.push({ label: 'whitespace', observed: `the key contains ${describeWhitespace(inner[0])} at position ${inner.index + 1}`, expected: 'one unbroken string' })
    reasons.push(`the key contains ${describeWhitespace(inner[0])}`)
  }
  if (PLACEHOLDER.test(v)) {
    problems.push({ label: 'value', observed: 'a placeholder from an example file, not a real key', expected: 'the key issued by the provider' })
    reasons.push('the key is a placeholder')
  } else if (re) {
    if (!re.test(v)) {
      problems.push({ label: 'pattern', observed: keyShape(v), expected: `matches ${opts.pattern}` })
      reasons.push(`the key (${keyShape(v)}) does not match ${opts.pattern}`)
    }
  }
  if (problems.length > 0) {
    problems.push({ label: 'source', observed: source })
    const because = reasons.join('; ')
    add('apikey.malformed', because, problems)
  }
  return {
    status: findings.length ? 'critical' : 'ok',
    verdict: findings.length ? `401 because: ${findings[0].because}` : `OK: the key looks well formed (${keyShape(v)}); medic does not call the provider here, so it cannot tell whether it is revoked`,
    shape: keyShape(value),
    source,
    findings,
  }
}
