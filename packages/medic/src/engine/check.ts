/**
 * The check contract: one module per check, `meta` + `run(ctx, options)`.
 * A check reports findings through `ctx.finding(id, ...)` with ids declared in `meta.findings`,
 * records plain facts with `ctx.observe`, and calls `ctx.skip(reason)` when a prerequisite is absent.
 */
import type { Evidence, Finding, Observation, Severity, Target, TargetKind } from './types.js'
import type { MedicConfig } from '../config/schema.js'

/** Text for one finding id, kept apart from the logic (ESLint `messages` style). */
export interface FindingMessage {
  /** Default one-line title; a check may pass a more precise one. */
  title: string
  fix: string
  /** Read-only commands a person runs to see the same thing. `{placeholders}` are filled by the check. */
  commands?: string[]
  docs?: string
}

export interface CheckMeta<O extends object> {
  /** `family.name`, e.g. `postgres.connections`. */
  id: string
  title: string
  /** Target kinds this check runs against. */
  targets: TargetKind[]
  /** Every finding id this check may emit, with its text. Must exist in FINDINGS.md. */
  findings: Record<string, FindingMessage>
  /** Default options and thresholds; overridable per config `thresholds` (by check id or finding id). */
  defaults: O
  /** Deadline for one run; the runner aborts `ctx.signal` when it passes. */
  timeoutMs?: number
  /** One paragraph for `medic list` and the docs. */
  description: string
}

export interface FindingInput {
  severity: Severity
  evidence: Evidence[]
  title?: string
  fix?: string
  commands?: string[]
  docs?: string
}

/** Resources shared by the checks of one run (a pool per target...), closed when the run ends. */
export interface SharedResources {
  get<T>(key: string, create: () => Promise<T>, dispose?: (value: T) => Promise<void> | void): Promise<T>
}

export interface CheckContext {
  target: Target
  config: MedicConfig
  /** Aborted when the check's deadline passes or the run is cancelled. */
  signal: AbortSignal
  /** Milliseconds left before the deadline (for probes that take their own timeout). */
  remainingMs(): number
  now(): number
  shared: SharedResources
  finding(id: string, input: FindingInput): void
  observe(key: string, value: Observation): void
  /** Evidence shown next to a ✓ when the check found nothing wrong. */
  ok(...evidence: Evidence[]): void
  /** A prerequisite is missing: the check is `skipped` with this reason (never a finding). */
  skip(reason: string): never
}

export interface Check<O extends object = Record<string, unknown>> {
  meta: CheckMeta<O>
  run(ctx: CheckContext, options: O): Promise<void>
}

export class SkipCheck extends Error {
  constructor(readonly reason: string) {
    super(reason)
    this.name = 'SkipCheck'
  }
}

/** Identity helper that keeps `options` typed from `meta.defaults`. */
export function defineCheck<O extends object>(check: Check<O>): Check<O> {
  return check
}

/** Internal: a check as stored in the registry (options erased). */
export type AnyCheck = Check<any>

/** Fill `{name}` placeholders in a command template. Unknown names stay as they are. */
export function fillTemplate(template: string, values: Record<string, string | number | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = values[name]
    return v === undefined ? whole : String(v)
  })
}

export type { Finding }
