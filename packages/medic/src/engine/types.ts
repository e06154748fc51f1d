/** The shapes every part of medic agrees on: findings, check results, targets, the run report. */

export type Severity = 'info' | 'warning' | 'critical'
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 }

/** One observed value next to what was expected, Gatus-style: `used 97 of 97 usable slots`. */
export interface Evidence {
  label: string
  observed: string
  expected?: string
}

/** A problem medic found. `id` is public API (see FINDINGS.md): never rename one. */
export interface Finding {
  id: string
  severity: Severity
  target: string
  title: string
  evidence: Evidence[]
  fix: string
  commands: string[]
  docs?: string
}

export type CheckStatus = 'ok' | 'problem' | 'error' | 'skipped'

/** Observations are plain facts a check saw (reachable, slots used...), for runbooks to reason on. */
export type Observation = string | number | boolean | null

export interface CheckResult {
  id: string
  target: string
  status: CheckStatus
  durationMs: number
  /** Why the check errored or was skipped. */
  reason?: string
  findings: Finding[]
  /** What an ok check saw, so a person can trust the ✓. */
  evidence: Evidence[]
  observations: Record<string, Observation>
}

export type TargetKind =
  | 'http'
  | 'postgres'
  | 'mysql'
  | 'redis'
  | 'qdrant'
  | 'external'
  | 'tls'
  | 'env'
  | 'auth'
  | 'logs'
  | 'metrics'
  | 'host'
  | 'process'

/** A configured or discovered thing to check. `options` holds the kind's own validated fields. */
export interface Target {
  id: string
  kind: TargetKind
  /** Human address with credentials masked (`postgres://app:***@db:5432/app`). */
  address: string
  /** Validated kind-specific settings (url, health paths, collections...). May hold secrets: never print. */
  options: Record<string, unknown>
  /** Per-target threshold overrides, keyed by check id or finding id. */
  thresholds: Record<string, Record<string, unknown>>
  /** How medic learned of it: `config`, `env DATABASE_URL`, `port 5432`... */
  source: string
}

export type OverallStatus = 'ok' | 'warning' | 'critical' | 'unknown'

export interface CauseEvidence {
  /** The finding ID or observation key the point rests on. */
  finding?: string
  observation?: string
  check?: string
  detail: string
  weight: number
}

export interface DiagnosedCause {
  id: string
  title: string
  score: number
  supports: CauseEvidence[]
  refutes: CauseEvidence[]
  fix: string
  commands: string[]
}

/** Something that changed, placed in time next to when the errors began. */
export interface TimelineEvent {
  at: string
  kind: 'errors' | 'restart' | 'migration' | 'config' | 'deploy'
  what: string
  target?: string
}

export interface Diagnosis {
  symptom: string
  /** What medic could see change, oldest first, and the sentence that ties it to the errors. */
  timeline?: { events: TimelineEvent[]; summary?: string }
  causes: DiagnosedCause[]
  /** Checks the runbook needed that could not run: confidence is lower. */
  missing: { check: string; target?: string; reason: string }[]
  summary: string
}

export interface RunReport {
  schemaVersion: 1
  status: OverallStatus
  startedAt: string
  durationMs: number
  targets: { id: string; kind: TargetKind; address: string; source: string }[]
  checks: Omit<CheckResult, 'findings'>[]
  findings: Finding[]
  diagnosis?: Diagnosis
  /** Lines such as "found PostgreSQL at 127.0.0.1:5432 (port 5432)". */
  notes: string[]
}
