/**
 * Runbooks: symptom -> ranked causes. Built-in runbooks live in packages/medic/runbooks/*.yaml;
 * a team adds its own with `runbooks: <folder>` in medic.yaml (same shape; a user runbook for an
 * existing symptom replaces the built-in one).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LineCounter, parseDocument } from 'yaml'
import { allChecks } from '../checks/index.js'
import { ConfigError } from '../engine/errors.js'
import { FINDING_IDS } from '../engine/finding-ids.js'
import type { PlannedCheck } from '../engine/runner.js'
import type { CheckResult, Diagnosis } from '../engine/types.js'
import type { MedicConfig } from '../config/schema.js'
import { parseCondition } from './observation.js'
import { rank } from './rank.js'
import { collectEvents, summarize } from './timeline.js'
import { Runbook } from './runbook.js'
import { runbookSchema } from './schema.js'

/**
 * packages/medic/runbooks, found from src/runbooks (tests), dist/runbooks (tsc output) and the
 * single-file bundle dist/medic.js alike.
 */
export const BUILTIN_DIR =
  ['../../runbooks/', '../runbooks/'].map((rel) => fileURLToPath(new URL(rel, import.meta.url))).find((dir) => existsSync(join(dir, '503.yaml'))) ??
  fileURLToPath(new URL('../../runbooks/', import.meta.url))

type Problem = ConstructorParameters<typeof ConfigError>[0][number]

const FAMILIES = new Set([...FINDING_IDS.map((id) => id.split('.')[0]), 'auth', 'system', 'metrics', 'logs', 'config', 'migrations', 'tls'])

export function parseRunbook(text: string, file: string): Runbook {
  const counter = new LineCounter()
  const doc = parseDocument(text, { lineCounter: counter })
  if (doc.errors.length) throw new ConfigError(doc.errors.map((e) => ({ file, line: counter.linePos(e.pos[0]).line, path: '', message: `invalid YAML: ${e.message.split('\n')[0]}` })))
  const parsed = runbookSchema.safeParse(doc.toJS())
  const lineAt = (path: (string | number)[]) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number] } | undefined
      if (node?.range) return counter.linePos(node.range[0]).line
    }
    return undefined
  }
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ file, line: lineAt(i.path), path: i.path.join('.'), message: i.message })))
  }
  const problems: Problem[] = []
  const known = new Set<string>(FINDING_IDS)
  const checkIds = new Set(allChecks.map((c) => c.meta.id))
  parsed.data.checks.forEach((c, i) => {
    if (!FAMILIES.has(c) && !checkIds.has(c)) problems.push({ file, line: lineAt(['checks', i]), path: `checks.${i}`, message: `unknown check or family "${c}"` })
  })
  parsed.data.causes.forEach((cause, ci) => {
    for (const kind of ['supports', 'refutes'] as const) {
      cause[kind].forEach((p, pi) => {
        const path = ['causes', ci, kind, pi]
        if (p.finding && !known.has(p.finding)) problems.push({ file, line: lineAt(path), path: path.join('.'), message: `unknown finding id "${p.finding}" (see FINDINGS.md / medic list)` })
        if (p.check && !checkIds.has(p.check) && !FAMILIES.has(p.check)) problems.push({ file, line: lineAt(path), path: path.join('.'), message: `unknown check "${p.check}" (see medic list)` })
        if (p.observation && !parseCondition(p.observation)) problems.push({ file, line: lineAt(path), path: path.join('.'), message: `cannot read observation condition "${p.observation}" (expected key, !key or key >= 80)` })
        if (p.match) {
          try {
            new RegExp(p.match)
          } catch {
            problems.push({ file, line: lineAt(path), path: path.join('.'), message: `invalid regular expression "${p.match}"` })
          }
        }
      })
    }
  })
  if (problems.length) throw new ConfigError(problems)
  return new Runbook(parsed.data, file)
}

function readFolder(dir: string): Runbook[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => parseRunbook(readFileSync(join(dir, f), 'utf8'), join(dir, f)))
}

export class RunbookSet {
  constructor(private readonly books: Runbook[]) {}
  all(): Runbook[] {
    return this.books
  }
  find(name: string): Runbook | undefined {
    return this.books.find((b) => b.matches(name))
  }
}

export function loadRunbooks(config: MedicConfig, cwd: string): RunbookSet {
  const builtin = readFolder(BUILTIN_DIR)
  const own = config.runbooks ? readFolder(resolve(cwd, config.runbooks)) : []
  if (config.runbooks && !existsSync(resolve(cwd, config.runbooks))) {
    throw new ConfigError([{ file: 'medic.yaml', path: 'runbooks', message: `folder ${config.runbooks} not found` }])
  }
  const bySymptom = new Map<string, Runbook>()
  for (const b of [...builtin, ...own]) bySymptom.set(b.symptom, b)
  return new RunbookSet([...bySymptom.values()])
}

export function symptomNames(set: RunbookSet): string[] {
  return set.all().map((b) => b.symptom)
}

export function diagnoseSymptom(
  runbook: Runbook,
  results: CheckResult[],
  plan: PlannedCheck[],
  context?: { config: MedicConfig; files: { path: string; label: string }[] },
): Diagnosis {
  const diagnosis = rank(runbook, results, plan)
  if (!context) return diagnosis
  const events = collectEvents(results, context.config, context.files)
  return events.length ? { ...diagnosis, timeline: { events, summary: summarize(events) } } : diagnosis
}
