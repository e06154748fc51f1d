/**
 * What diagnose and check share: plan which checks run on which targets, run them with progress,
 * render the report and pick the exit code (the targets come from targets.ts).
 */
import { allChecks } from '../checks/index.js'
import type { AnyCheck } from '../engine/check.js'
import { UserError } from '../engine/errors.js'
import { runChecks, type PlannedCheck } from '../engine/runner.js'
import type { CheckResult, Diagnosis, RunReport, Target } from '../engine/types.js'
import type { MedicConfig } from '../config/schema.js'
import { buildReport } from '../report/build.js'
import { exitCodeFor, type FailOn } from '../report/exit-code.js'
import { render, type Format } from '../report/index.js'
import { parseDuration } from '../util/duration.js'
import type { CliIO } from './io.js'
import type { Loaded } from './targets.js'
import { progressReporter } from './progress.js'

export interface CommonOptions {
  config?: string
  format: Format
  json?: boolean
  timeout?: string
  failOn?: FailOn
  exitZero?: boolean
  color?: boolean
  verbose?: boolean
  window?: string
}

/** Which checks a selector names: a family (`postgres`), a check id, a finding id, or a target id. */
export function selectChecks(selectors: string[], targets: Target[]): PlannedCheck[] {
  const plan = planAll(allChecks, targets)
  if (selectors.length === 0) return plan
  const unknown: string[] = []
  const keep = new Set<PlannedCheck>()
  for (const sel of selectors) {
    const matches = plan.filter(
      (p) => p.check.meta.id === sel || p.check.meta.id.startsWith(`${sel}.`) || sel in p.check.meta.findings || p.target.id === sel,
    )
    const exists = allChecks.some((c) => c.meta.id === sel || c.meta.id.startsWith(`${sel}.`) || sel in c.meta.findings) || targets.some((t) => t.id === sel)
    if (!exists) unknown.push(sel)
    for (const m of matches) keep.add(m)
  }
  if (unknown.length) {
    const families = [...new Set(allChecks.map((c) => c.meta.id.split('.')[0]))].sort()
    throw new UserError(`unknown check, family or target: ${unknown.join(', ')}`, `Families: ${families.join(', ')}. \`medic list\` shows every check id.`)
  }
  return plan.filter((p) => keep.has(p))
}

export function planAll(checks: AnyCheck[], targets: Target[]): PlannedCheck[] {
  return targets.flatMap((target) => checks.filter((c) => c.meta.targets.includes(target.kind)).map((check) => ({ check, target })))
}

export function outputOptions(opts: CommonOptions, io: CliIO) {
  const format: Format = opts.json ? 'json' : opts.format
  const color = opts.color !== false && io.stdoutIsTTY && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '') && io.env.TERM !== 'dumb'
  return { format, color }
}

/** `--window`: the observation window of every check that has one, over what the config says. */
function withWindow(config: MedicConfig, plan: PlannedCheck[], text: string): MedicConfig {
  const windowMs = /^\s*0+\s*(ms|s)?\s*$/.test(text) ? 0 : parseDuration(text, '--window', { maxMs: 600_000 })
  const thresholds = { ...config.thresholds }
  for (const { check } of plan) {
    if ('windowMs' in check.meta.defaults) thresholds[check.meta.id] = { ...(thresholds[check.meta.id] ?? {}), windowMs }
  }
  return { ...config, thresholds }
}

export async function executePlan(
  plan: PlannedCheck[],
  loaded: Loaded,
  opts: CommonOptions,
  io: CliIO,
  diagnose?: (results: CheckResult[]) => Diagnosis | Promise<Diagnosis>,
): Promise<{ report: RunReport; exitCode: number }> {
  const timeoutMs = opts.timeout ? parseDuration(opts.timeout, '--timeout', { maxMs: 3_600_000 }) : loaded.config.timeoutMs
  if (opts.window !== undefined) loaded = { ...loaded, config: withWindow(loaded.config, plan, opts.window) }
  const progress = progressReporter(io.stderr, io.stderrIsTTY)
  const startedAt = new Date()
  const t0 = performance.now()
  const results = await runChecks(plan, { config: loaded.config, timeoutMs, concurrency: loaded.config.concurrency, onProgress: progress.update })
  progress.clear()
  const diagnosis = diagnose ? await diagnose(results) : undefined
  if (plan.length === 0) loaded.notes.push('nothing was checked: no target of a kind this needs (medic list shows which checks run on which kinds)')
  else if (results.every((r) => r.status === 'skipped')) loaded.notes.push('every check was skipped (-v shows why), so nothing is known to be fine')
  const report = buildReport({ results, targets: loaded.targets, startedAt, durationMs: performance.now() - t0, notes: loaded.notes, diagnosis, redactor: loaded.redactor })
  const { format, color } = outputOptions(opts, io)
  io.stdout(loaded.redactor.redact(render(report, format, { color, verbose: opts.verbose })))
  return { report, exitCode: exitCodeFor(report, { failOn: opts.failOn, exitZero: opts.exitZero }) }
}
