/** logs.unhandled-exception: tracebacks and uncaught exceptions in the recent window. */
import { defineCheck } from '../../engine/check.js'
import { FIXES } from '../../logs/findings.js'
import { commandsFor, findingsOf, LOGS_DEFAULTS, logsAnalysis } from './shared.js'

export default defineCheck({
  meta: {
    id: 'logs.unhandled-exception',
    title: 'Exceptions in the logs',
    targets: ['logs'],
    defaults: LOGS_DEFAULTS,
    timeoutMs: 30_000,
    description:
      'Finds Python tracebacks (chained ones too), Node and Java stack traces (including stacks inside JSON fields such as err.stack) in the last windowMinutes of the input and groups them by exception type and top in-app frames.',
    findings: {
      'logs.unhandled-exception': {
        title: 'Exceptions in the logs',
        fix: FIXES['logs.unhandled-exception'],
      },
    },
  },
  async run(ctx, o) {
    const a = await logsAnalysis(ctx, o)
    const [f] = findingsOf(ctx, a, o, 'logs.unhandled-exception')
    ctx.observe('logs.exceptionGroups', a.groups.filter((g) => g.kind === 'exception').length)
    if (f) {
      ctx.finding('logs.unhandled-exception', { severity: f.severity, title: f.title, evidence: f.evidence, commands: commandsFor(ctx, o).map((c) => c.replace(/--window \S+$/, `--group ${f.groups[0]}`)) })
      return
    }
    ctx.ok({ label: 'exceptions', observed: `none in the last ${o.windowMinutes} min of the input`, expected: 'none' })
  },
})
