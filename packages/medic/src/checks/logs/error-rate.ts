/** logs.error-rate: share of error-level events in the recent window, and 5xx responses per minute. */
import { defineCheck } from '../../engine/check.js'
import { FIXES, pct } from '../../logs/findings.js'
import { commandsFor, findingsOf, LOGS_DEFAULTS, logsAnalysis, sourcesEvidence } from './shared.js'


export default defineCheck({
  meta: {
    id: 'logs.error-rate',
    title: 'Error rate in the logs',
    targets: ['logs'],
    defaults: LOGS_DEFAULTS,
    timeoutMs: 30_000,
    description:
      'Reads the configured log sources (files, globs, rotated .gz, commands) and measures the share of error-level events in the last windowMinutes of the input, and the 5xx responses per minute from access lines.',
    findings: {
      'logs.error-rate': {
        title: 'High error rate in the logs',
        fix: FIXES['logs.error-rate'],
      },
    },
  },
  async run(ctx, o) {
    const a = await logsAnalysis(ctx, o)
    const [f] = findingsOf(ctx, a, o, 'logs.error-rate')
    const w = a.totals.between(a.totals.last - o.windowMinutes * 60_000, a.totals.last + 1)
    ctx.observe('logs.window.events', w.events)
    ctx.observe('logs.window.errors', w.errors)
    ctx.observe('logs.s5xxMaxPerMinute', w.max5xxPerMinute)
    if (f) {
      ctx.finding('logs.error-rate', { severity: f.severity, title: f.title, evidence: f.evidence, commands: commandsFor(ctx, o) })
      return
    }
    ctx.ok({ label: 'error events', observed: `${w.errors} of ${w.events} (${pct(w.errors, w.events)}) in the last ${o.windowMinutes} min of the input`, expected: `< ${o.warningPct} %` }, ...sourcesEvidence(a))
  },
})
