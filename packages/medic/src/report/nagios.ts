/**
 * Nagios plugin output: `MEDIC CRITICAL - 2 critical, 1 warning: <first titles> | perfdata`.
 * Perfdata carries the run's counts and duration so graphs come for free.
 */
import type { RunReport } from '../engine/types.js'

const LABEL = { ok: 'OK', warning: 'WARNING', critical: 'CRITICAL', unknown: 'UNKNOWN' } as const

/** Perfdata labels may not contain `=` or `'`; keep them simple. */
function perfLabel(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]/g, '_')
}

export function renderNagios(report: RunReport): string {
  const count = (sev: string) => report.findings.filter((f) => f.severity === sev).length
  const crit = count('critical')
  const warn = count('warning')
  const errored = report.checks.filter((c) => c.status === 'error')
  let summary: string
  if (report.findings.length > 0) {
    const top = report.findings
      .filter((f) => f.severity !== 'info')
      .slice(0, 3)
      .map((f) => `[${f.target}] ${f.id}: ${f.title}`)
    summary = `${crit} critical, ${warn} warning${top.length ? `: ${top.join('; ')}` : ''}`
  } else if (errored.length > 0) {
    summary = `${errored.length} check(s) could not run: ${errored
      .slice(0, 3)
      .map((c) => `${c.id}@${c.target} (${c.reason ?? 'error'})`)
      .join('; ')}`
  } else {
    summary = `${report.checks.length} checks on ${report.targets.length} targets passed`
  }
  if (report.diagnosis?.causes[0] && report.diagnosis.causes[0].score > 0) {
    summary += `; likely cause: ${report.diagnosis.causes[0].title}`
  }
  const perf = [
    `critical=${crit};;1`,
    `warning=${warn};1`,
    `checks=${report.checks.length}`,
    `errors=${errored.length}`,
    `duration=${(report.durationMs / 1000).toFixed(3)}s`,
    ...report.checks.map((c) => `${perfLabel(`${c.target}.${c.id}`)}=${c.durationMs}ms`),
  ]
  // Nagios reads the first line as status text; `|` separates perfdata, so strip it from the text.
  return `MEDIC ${LABEL[report.status]} - ${summary.replace(/\|/g, '/').replace(/\n/g, ' ')} | ${perf.join(' ')}\n`
}
