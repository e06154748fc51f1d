/**
 * config.required: every variable the app needs is set and not empty. Required means, in order:
 * listed in env.required (critical); the config's own references (auth.apiKey.variable); written in
 * the .env with an empty value while its name is a datastore connection setting (DATABASE_URL=,
 * REDIS_HOST=...) or another well-known required name (OPENAI_API_KEY, SECRET_KEY...); an empty
 * optional setting such as SENTRY_DSN= is not a problem;
 * `${VAR:?}` in the compose file (critical); `${VAR}` without a default in the compose file and keys
 * of .env.example (warning: those may be optional).
 */
import { defineCheck } from '../../engine/check.js'
import type { Evidence, Severity } from '../../engine/types.js'
import type { MalformedLine } from '../../config/dotenv.js'
import { appEnvironment, grepAssignment, observeEnvironment, shortPath, type AppEnvironment } from './environment.js'

/** Names an app cannot start without when they appear (even empty) in its .env. */
export const WELL_KNOWN_REQUIRED = ['DATABASE_URL', 'REDIS_URL', 'OPENAI_API_KEY', 'SECRET_KEY', 'JWT_SECRET_KEY', 'QDRANT_URL', 'DB_HOST', 'DB_NAME', 'DB_USER', 'MONGODB_URI', 'AMQP_URL', 'BROKER_URL']
/** Connection settings of datastores: an app that names one in its .env connects to it at start-up. */
const NEEDED_NAME = /^(?:DATABASE|DB|POSTGRES|PG|MYSQL|MARIADB|REDIS|CACHE|BROKER|CELERY_BROKER|AMQP|RABBITMQ|MONGO|MONGODB|QDRANT|ELASTICSEARCH|OPENSEARCH)_(?:URL|URI|DSN|HOST)$/

interface Requirement {
  name: string
  severity: Severity
  /** Where the requirement comes from, for the evidence. */
  because: string
}

export function requirements(env: AppEnvironment, config: { auth?: { apiKey?: { variable?: string } } }): Requirement[] {
  const out = new Map<string, Requirement>()
  const add = (r: Requirement) => {
    const prev = out.get(r.name)
    if (!prev || (prev.severity === 'warning' && r.severity === 'critical')) out.set(r.name, r)
  }
  for (const name of env.settings.required) add({ name, severity: 'critical', because: 'listed in env.required of medic.yaml' })
  const apiKeyVar = config.auth?.apiKey?.variable
  if (apiKeyVar) add({ name: apiKeyVar, severity: 'critical', because: 'auth.apiKey.variable of medic.yaml' })
  const dotenv = shortPath(env.dotenv.path, env.base)
  for (const name of env.dotenv.keys) {
    if (WELL_KNOWN_REQUIRED.includes(name) || NEEDED_NAME.test(name)) {
      add({ name, severity: 'critical', because: `assigned in ${dotenv} line ${env.dotenv.lines[name] ?? '?'}` })
    }
  }
  if (env.compose) {
    const file = shortPath(env.compose.path, env.base)
    for (const ref of env.compose.references) {
      add({
        name: ref.name,
        severity: ref.required ? 'critical' : 'warning',
        because: ref.required ? `\${${ref.name}:?} in ${file} line ${ref.line} (compose refuses to start without it)` : `\${${ref.name}} without a default in ${file} line ${ref.line} (compose substitutes an empty string)`,
      })
    }
  }
  if (env.example) {
    const file = shortPath(env.example.path, env.base)
    for (const name of env.example.keys) add({ name, severity: 'warning', because: `documented in ${file} line ${env.example.lines[name] ?? '?'}` })
  }
  return [...out.values()]
}

/**
 * A .env line that is not an assignment, as evidence: by line number only (the line may hold a
 * secret). Not a finding of its own (no finding id says "malformed .env"): it is a ✓ note, or
 * context on a missing variable it may have been meant to set.
 */
export function malformedEvidence(file: string, m: MalformedLine): Evidence {
  return {
    label: `${file} line ${m.line}`,
    observed: m.problem.includes('quote') ? `${m.problem}: the value runs to the end of the line, quote included` : `ignored: ${m.problem}; it sets no variable`,
    expected: 'NAME=value',
  }
}

/** At most `max` malformed-line notes, plus one saying how many more. */
function malformedNotes(file: string, lines: MalformedLine[], max: number): Evidence[] {
  const shown = lines.slice(0, max).map((m) => malformedEvidence(file, m))
  if (lines.length > max) shown.push({ label: 'more malformed lines', observed: `${lines.length - max} more: lines ${lines.slice(max, max + 20).map((m) => m.line).join(', ')}${lines.length > max + 20 ? ', …' : ''}` })
  return shown
}

/** How an empty value reads: `set to blanks` (KEY=   , or a quoted blank value) or `empty`. */
export function emptiness(env: AppEnvironment, name: string): 'set to blanks' | 'empty' {
  const value = env.vars[name] ?? ''
  if (value !== '') return 'set to blanks'
  return env.origin[name] === '.env' && env.dotenv.blank.includes(name) ? 'set to blanks' : 'empty'
}

export default defineCheck({
  meta: {
    id: 'config.required',
    title: 'Required variables are set',
    targets: ['env'],
    description:
      'Every variable the app needs is set and not empty: env.required (critical), auth.apiKey.variable, datastore connection variables (DATABASE_URL, DB_HOST, REDIS_URL, ...) and well-known required names written empty in the .env (critical), ${VAR:?} in the compose file (critical), ${VAR} without a default in the compose file and keys of .env.example (warning).',
    defaults: {},
    timeoutMs: 2000,
    findings: {
      'config.missing-variable': {
        title: 'A required variable is not set',
        fix: 'Set the variable in the .env (or the environment the app starts with) and restart the app.',
        commands: ['printenv {name} >/dev/null && echo set || echo unset', "grep -nE '^[[:space:]]*(export[[:space:]]+)?{name}[[:space:]]*=' {file}"],
      },
    },
  },
  async run(ctx) {
    const env = await appEnvironment(ctx)
    observeEnvironment(ctx, env)
    const reqs = requirements(env, ctx.config)
    const malformed = env.dotenv.malformed
    // Malformed .env lines are worth a ✓ note even when nothing is required.
    if (reqs.length === 0 && malformed.length === 0) ctx.skip('nothing marks a variable as required (no env.required, no .env.example, no compose file)')
    const dotenv = shortPath(env.dotenv.path, env.base)
    let missing = 0
    const findings: { severity: Severity; title: string; evidence: Evidence[]; commands: string[]; notes: boolean }[] = []
    for (const r of reqs) {
      const value = env.vars[r.name]
      if (value !== undefined && value.trim() !== '') continue
      missing++
      const where = env.origin[r.name] === 'process' ? 'process environment' : `${dotenv} line ${env.dotenv.lines[r.name] ?? '?'}`
      const empty = value === undefined ? undefined : emptiness(env, r.name)
      // A line naming the variable without `=` (DATABASE_URL postgres://...) is why it is unset.
      const meant = value === undefined ? malformed.find((m) => m.name === r.name) : undefined
      const observed =
        value === undefined
          ? `unset (not in the process environment${env.dotenv.found ? ` nor in ${dotenv}` : `; ${dotenv} not found`})`
          : `${empty} (${where})`
      const title =
        value === undefined
          ? `${r.name} is not set${meant ? `: ${dotenv} line ${meant.line} ${meant.problem.startsWith('no "="') ? 'has no "="' : 'is malformed'}` : ''}`
          : empty === 'set to blanks'
            ? `${r.name} is set to blanks ${env.origin[r.name] === 'process' ? 'in the process environment' : `in ${where}`}`
            : `${r.name} is empty`
      // An unset variable may be what a malformed line meant to set.
      const notes = value === undefined ? (meant ? [malformedEvidence(dotenv, meant)] : malformedNotes(dotenv, malformed, 3)) : []
      findings.push({
        severity: r.severity,
        title,
        evidence: [{ label: r.name, observed, expected: 'a non-empty value' }, { label: 'required because', observed: r.because }, ...notes],
        commands: [`printenv ${r.name} >/dev/null && echo set || echo unset`, grepAssignment(r.name, dotenv)],
        notes: notes.length > 0,
      })
    }
    // Malformed lines show once at least: on the first finding when none carries them (the ✓ that
    // would carry them is not shown when there are findings).
    if (malformed.length && findings.length && !findings.some((f) => f.notes)) findings[0].evidence.push(...malformedNotes(dotenv, malformed, 3))
    for (const { notes: _, ...f } of findings) ctx.finding('config.missing-variable', f)
    ctx.observe('config.required.checked', reqs.length)
    ctx.observe('config.required.missing', missing)
    if (missing === 0) {
      // The malformed lines first: the report shows a ✓ check's first evidence.
      ctx.ok(...malformedNotes(dotenv, malformed, 5), { label: 'required variables', observed: reqs.length ? `${reqs.length} of ${reqs.length} set` : 'none inferred', expected: 'all set' })
    }
  },
})
