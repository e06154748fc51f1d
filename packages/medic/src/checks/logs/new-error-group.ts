/** logs.new-error-group: error signatures first seen inside the recent window. */
import { defineCheck } from '../../engine/check.js'
import { FIXES } from '../../logs/findings.js'
import { commandsFor, findingsOf, LOGS_DEFAULTS, logsAnalysis } from './shared.js'

export default defineCheck({
  meta: {
    id: 'logs.new-error-group',
    title: 'New error groups in the logs',
    targets: ['logs'],
    defaults: LOGS_DEFAULTS,
    timeoutMs: 30_000,
    description:
      'Groups error events (exceptions by type and top in-app frames, other messages by template) and reports the groups whose first occurrence falls inside the last windowMinutes of the input, with the restart, migration or deploy that preceded them.',
    findings: {
      'logs.new-error-group': {
        title: 'A new kind of error appeared',
        fix: FIXES['logs.new-error-group'],
      },
    },
  },
  async run(ctx, o) {
    const a = await logsAnalysis(ctx, o)
    const found = findingsOf(ctx, a, o, 'logs.new-error-group')
    ctx.observe('logs.newGroups', found.length)
    for (const f of found) ctx.finding('logs.new-error-group', { severity: f.severity, title: f.title, evidence: f.evidence, commands: commandsFor(ctx, o).map((c) => c.replace(/--window \S+$/, `--group ${f.groups[0]}`)) })
    if (found.length === 0) {
      const hasBefore = a.totals.first < a.totals.last - o.windowMinutes * 60_000
      ctx.ok({ label: 'new error groups', observed: hasBefore ? `none first seen in the last ${o.windowMinutes} min` : `input spans less than the window (${o.windowMinutes} min): nothing to compare with`, expected: 'none' })
    }
  },
})
