/** Turn check results into the run report every format renders (schemaVersion 1), secrets masked. */
import type { Redactor } from '../engine/redact.js'
import { mapStrings } from '../util/map-strings.js'
import { SEVERITY_RANK, type CheckResult, type Diagnosis, type Finding, type OverallStatus, type RunReport, type Target } from '../engine/types.js'

export interface BuildInput {
  results: CheckResult[]
  targets: Target[]
  startedAt: Date
  durationMs: number
  notes?: string[]
  diagnosis?: Diagnosis
  redactor: Redactor
}

export function overallStatus(findings: Finding[], results: CheckResult[]): OverallStatus {
  if (findings.some((f) => f.severity === 'critical')) return 'critical'
  if (findings.some((f) => f.severity === 'warning')) return 'warning'
  // A check that could not run leaves the answer incomplete: say UNKNOWN rather than a false OK.
  if (results.some((r) => r.status === 'error')) return 'unknown'
  // Nothing checked is not "all fine".
  if (results.every((r) => r.status === 'skipped')) return 'unknown'
  return 'ok'
}

/** Worst first, then by target and id, so the most urgent line is always on top. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.target.localeCompare(b.target) || a.id.localeCompare(b.id),
  )
}

export function buildReport(input: BuildInput): RunReport {
  const findings = sortFindings(input.results.flatMap((r) => r.findings))
  const report: RunReport = {
    schemaVersion: 1,
    status: overallStatus(findings, input.results),
    startedAt: input.startedAt.toISOString(),
    durationMs: Math.round(input.durationMs),
    targets: input.targets.map((t) => ({ id: t.id, kind: t.kind, address: t.address, source: t.source })),
    checks: input.results.map(({ findings: _f, ...rest }) => rest),
    findings,
    ...(input.diagnosis ? { diagnosis: input.diagnosis } : {}),
    notes: input.notes ?? [],
  }
  // One pass: secrets masked, then control characters made visible.
  return mapStrings(report, (s) => sanitize(input.redactor.redact(s)))
}

/**
 * Text from the outside world (health bodies, log lines, server errors) may carry terminal control
 * sequences: shown raw they could clear the screen or retitle the terminal. Keep newlines and tabs,
 * make every other control character visible.
 */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

