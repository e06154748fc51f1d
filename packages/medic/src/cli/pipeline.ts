/**
 * What diagnose and check share: load the config (or discover), plan which checks run on which
 * targets, run them with progress, render the report and pick the exit code.
 */
import { existsSync, lstatSync, readlinkSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { stringify } from 'yaml'
import { allChecks } from '../checks/index.js'
import type { AnyCheck } from '../engine/check.js'
import { ConfigError, UserError } from '../engine/errors.js'
import type { Redactor } from '../engine/redact.js'
import { runChecks, type PlannedCheck } from '../engine/runner.js'
import type { CheckResult, Diagnosis, RunReport, Target } from '../engine/types.js'
import { discover } from '../config/discover.js'
import { loadConfigFile, parseConfig } from '../config/load.js'
import { buildRedactor, resolveTargets } from '../config/resolve.js'
import type { MedicConfig } from '../config/schema.js'
import { buildReport } from '../report/build.js'
import { exitCodeFor, type FailOn } from '../report/exit-code.js'
import { render, type Format } from '../report/index.js'
import { parseDuration } from '../util/duration.js'
import type { CliIO } from './io.js'
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

export interface Loaded {
  config: MedicConfig
  targets: Target[]
  redactor: Redactor
  notes: string[]
  vars: Record<string, string | undefined>
  /** The config as medic.yaml text, for `medic init` (with ${VAR} references, never secrets). */
  yamlText?: string
  /** Files whose changes belong on the diagnosis timeline (the config, the app's .env). */
  files: { path: string; label: string }[]
  /** Where relative paths in the config start: the config file's folder, or the working directory. */
  baseDir: string
}

export async function loadTargets(opts: { config?: string; discoverOnly?: boolean }, io: CliIO): Promise<Loaded> {
  const explicit = opts.discoverOnly ? undefined : opts.config ?? (localConfigPresent(resolve(io.cwd, 'medic.yaml')) ? 'medic.yaml' : undefined)
  if (explicit) {
    const loaded = loadConfigFile(resolve(io.cwd, explicit), io.env)
    validateIds(loaded.config, explicit)
    const notes = opts.config ? [] : [`using ./medic.yaml`]
    const targets = placeTargets(resolveTargets(loaded.config, 'config'), dirname(loaded.file), io.env)
    const base = dirname(loaded.file)
    const files = [
      { path: loaded.file, label: explicit },
      { path: resolve(base, loaded.config.env?.file ?? '.env'), label: loaded.config.env?.file ?? '.env' },
    ]
    return { config: loaded.config, targets, redactor: buildRedactor(loaded.config, loaded.vars), notes, vars: loaded.vars, files, baseDir: base }
  }
  const found = await discover(io.cwd, io.env)
  const yamlText = stringify(found.raw)
  const config = parseConfig(yamlText, '(discovered config)', found.vars)
  const targets = placeTargets(resolveTargets(config, 'discovered'), io.cwd, io.env).map((t) => ({ ...t, source: found.sources[t.id] ?? t.source }))
  const files = [{ path: resolve(io.cwd, '.env'), label: '.env' }]
  return { config, targets, redactor: buildRedactor(config, found.vars), notes: found.notes, vars: found.vars, yamlText, files, baseDir: io.cwd }
}

/**
 * Is there a ./medic.yaml? A symbolic link to nothing is an error, not "no config": falling back to
 * discovery would check other targets than the user meant without a word.
 */
function localConfigPresent(path: string): boolean {
  if (existsSync(path)) return true
  let link: string
  try {
    if (!lstatSync(path).isSymbolicLink()) return false
    link = readlinkSync(path)
  } catch {
    return false
  }
  throw new UserError(`./medic.yaml is a symbolic link to ${link}, which does not exist`, 'fix or remove the link (medic discovers targets when there is no medic.yaml), or pass --config <file>')
}

/**
 * Checks that read files or the app's environment resolve relative paths from `baseDir` (the
 * config file's folder, or the working directory) and read `processEnv` instead of process.env,
 * so a test or an embedding program can inject both.
 */
export function placeTargets(targets: Target[], baseDir: string, env: Record<string, string | undefined>): Target[] {
  return targets.map((t) => ({ ...t, options: { ...t.options, baseDir, processEnv: env } }))
}

/**
 * `disable:` and `thresholds:` must name real checks or findings, and a threshold must be an option
 * of that check with the type of its default: a typo would otherwise silently do nothing.
 */
function validateIds(config: MedicConfig, file: string): void {
  const known = new Set<string>([...allChecks.map((c) => c.meta.id), ...allChecks.flatMap((c) => Object.keys(c.meta.findings))])
  const problems: { file: string; path: string; message: string }[] = []
  const checkDisable = (list: string[], at: string) =>
    list.forEach((id, i) => {
      if (!known.has(id)) problems.push({ file, path: `${at}[${i}]`, message: `unknown finding or check id "${id}" (see \`medic list\`)` })
    })
  const checkThresholds = (thresholds: Record<string, Record<string, unknown>>, at: string) => {
    for (const [id, values] of Object.entries(thresholds)) {
      if (!known.has(id)) {
        problems.push({ file, path: `${at}.${id}`, message: `unknown finding or check id "${id}" (see \`medic list\`)` })
        continue
      }
      // The options of every check the id names (a finding id may be emitted by several checks).
      const defaults: Record<string, unknown> = Object.assign({}, ...allChecks.filter((c) => c.meta.id === id || id in c.meta.findings).map((c) => c.meta.defaults))
      for (const [key, value] of Object.entries(values ?? {})) {
        if (!(key in defaults)) {
          problems.push({ file, path: `${at}.${id}.${key}`, message: `"${key}" is not an option of ${id}; its options: ${Object.keys(defaults).join(', ') || 'none'}` })
        } else if (typeof defaults[key] !== typeof value || Array.isArray(defaults[key]) !== Array.isArray(value)) {
          problems.push({ file, path: `${at}.${id}.${key}`, message: `expected ${Array.isArray(defaults[key]) ? 'a list' : `a ${typeof defaults[key]}`} (default ${JSON.stringify(defaults[key])}), got ${JSON.stringify(value)}` })
        }
      }
    }
  }
  checkDisable(config.disable, 'disable')
  checkThresholds(config.thresholds, 'thresholds')
  for (const [tid, t] of Object.entries(config.targets)) {
    checkDisable(t.disable, `targets.${tid}.disable`)
    checkThresholds(t.thresholds, `targets.${tid}.thresholds`)
  }
  for (const [i, m] of config.metrics.entries()) checkThresholds(m.thresholds, `metrics[${i}].thresholds`)
  if (problems.length) throw new ConfigError(problems, 'Run `medic list` for every check and finding id; `medic list --json` shows each check\'s options and defaults.')
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
