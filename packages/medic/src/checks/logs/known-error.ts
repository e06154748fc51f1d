/** logs.known-error: log lines matching a known signature (pool exhausted, Redis OOM, MissingGreenlet...). */
import { defineCheck } from '../../engine/check.js'
import { KNOWN_ERRORS } from '../../logs/known-errors.data.js'
import { commandsFor, findingsOf, LOGS_DEFAULTS, logsAnalysis } from './shared.js'

export default defineCheck({
  meta: {
    id: 'logs.known-error',
    title: 'Known errors in the logs',
    targets: ['logs'],
    defaults: LOGS_DEFAULTS,
    timeoutMs: 30_000,
    description: `Matches recent log events against ${KNOWN_ERRORS.length} known error signatures (data in src/logs/known-errors.data.ts), each with its cause and fix: connection pool exhausted, database slots, connection refused/timeouts/DNS, upstream 429, JWT expired/invalid, MissingGreenlet, datetime.utcnow() deprecation, out of memory, Redis OOM/MISCONF, deadlocks, database credentials.`,
    findings: {
      'logs.known-error': {
        title: 'A known error signature in the logs',
        fix: 'Apply the fix given for the matched signature.',
      },
    },
  },
  async run(ctx, o) {
    const a = await logsAnalysis(ctx, o)
    const found = findingsOf(ctx, a, o, 'logs.known-error')
    ctx.observe('logs.knownErrors', [...new Set(a.known.map((k) => k.spec.id))].join(',') || null)
    for (const f of found) ctx.finding('logs.known-error', { severity: f.severity, title: f.title, evidence: f.evidence, fix: f.fix, commands: commandsFor(ctx, o) })
    if (found.length === 0) ctx.ok({ label: 'known error signatures', observed: `none matched in the last ${o.windowMinutes} min of the input`, expected: 'none' })
  },
})
