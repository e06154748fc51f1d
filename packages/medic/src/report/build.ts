/** Turn check results into the run report every format renders (schemaVersion 1), secrets masked. */
import type { Redactor } from '../engine/redact.js'
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
  return input.redactor.redactDeep(report)
}
