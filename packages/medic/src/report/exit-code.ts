/** Nagios exit codes from the report, honouring --fail-on and --exit-zero. */
import type { RunReport } from '../engine/types.js'

export type FailOn = 'warning' | 'critical'

export function exitCodeFor(report: RunReport, opts: { failOn?: FailOn; exitZero?: boolean } = {}): number {
  if (opts.exitZero) return 0
  switch (report.status) {
    case 'critical':
      return 2
    case 'warning':
      return opts.failOn === 'critical' ? 0 : 1
    case 'unknown':
      return 3
    default:
      return 0
  }
}
