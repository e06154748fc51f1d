/**
 * The ranker: score every cause of a runbook 0..1 from the run's findings, observations and check
 * statuses. Supporting points combine as a noisy-OR (several independent hints add up without
 * passing 1); each refuting point scales the score down by its weight. A cause whose evidence
 * could not be gathered (its checks skipped or errored) is marked, and its score is discounted.
 */
import type { PlannedCheck } from '../engine/runner.js'
import type { CauseEvidence, CheckResult, DiagnosedCause, Diagnosis, Finding } from '../engine/types.js'
import { holds, parseCondition } from './observation.js'
import type { Runbook } from './runbook.js'
import type { RunbookPoint } from './schema.js'

const UNVERIFIED_DISCOUNT = 0.8
/** Below this a cause is not worth naming as "likely". */
export const LIKELY = 0.35

function evidenceSummary(f: Finding): string {
  const e = f.evidence[0]
  return e ? ` (${e.label}: ${e.observed})` : ''
}

interface Match {
  hit: boolean
  /** The read-only commands of the findings behind the point: they name the real host and port. */
  commands: string[]
  details: { detail: string; finding?: string; observation?: string; check?: string }[]
  /** The point's source check did not run. */
  unknown: string[]
}

/** Which finding ids each planned check could have produced (to tell "not found" from "not looked for"). */
type Declared = Map<string, Set<string>>

function matchPoint(p: RunbookPoint, results: CheckResult[], declared: Declared): Match {
  if (p.finding) {
    const re = p.match ? new RegExp(p.match, 'i') : undefined
    const min = p.severity ? ['info', 'warning', 'critical'].indexOf(p.severity) : 0
    const hits = results
      .flatMap((r) => r.findings)
      .filter((f) => f.id === p.finding && ['info', 'warning', 'critical'].indexOf(f.severity) >= min)
      .filter((f) => !re || re.test(`${f.title}\n${f.evidence.map((e) => `${e.label} ${e.observed}`).join('\n')}`))
    const sources = results.filter((r) => r.findings.some((f) => f.id === p.finding) || (declared.get(r.id)?.has(p.finding!) ?? false))
    // A check that could not run leaves this point unknown — unless another check of the same
    // target found a problem, which explains the skip (a dead database skips its other checks).
    const explained = (r: CheckResult) => results.some((o) => o.target === r.target && o.findings.length > 0)
    const unknown =
      sources.length > 0 && sources.every((r) => (r.status === 'error' || r.status === 'skipped') && !explained(r))
        ? sources.map((r) => `${r.id}@${r.target}: ${r.reason ?? r.status}`)
        : []
    return {
      hit: hits.length > 0,
      commands: hits.flatMap((f) => f.commands),
      details: hits.slice(0, 3).map((f) => ({ finding: f.id, detail: p.detail ? `${p.detail} — ${f.title}${evidenceSummary(f)} [${f.target}]` : `${f.title}${evidenceSummary(f)} [${f.target}]` })),
      unknown,
    }
  }
  if (p.observation) {
    const cond = parseCondition(p.observation)!
    const details: Match['details'] = []
    let hit = false
    for (const r of results) {
      if (!(cond.key in r.observations)) continue
      if (holds(cond, r.observations[cond.key])) {
        hit = true
        details.push({ observation: cond.key, detail: `${p.detail ?? p.observation}: ${cond.key} = ${String(r.observations[cond.key])} [${r.target}]` })
      }
    }
    return { hit, commands: [], details: details.slice(0, 3), unknown: [] }
  }
  const rs = results.filter((r) => r.id === p.check || r.id.startsWith(`${p.check}.`))
  const hits = rs.filter((r) => r.status === (p.status ?? 'problem'))
  return {
    hit: hits.length > 0,
    commands: [],
    details: hits.slice(0, 3).map((r) => ({ check: r.id, detail: `${p.detail ?? `${r.id} is ${r.status}`}${r.reason ? `: ${r.reason}` : ''} [${r.target}]` })),
    unknown: [],
  }
}

export function rank(runbook: Runbook, results: CheckResult[], plan: PlannedCheck[]): Diagnosis {
  const declared: Declared = new Map(plan.map((p) => [p.check.meta.id, new Set(Object.keys(p.check.meta.findings))]))
  const missing = new Map<string, { check: string; target?: string; reason: string }>()
  const causes: DiagnosedCause[] = runbook.data.causes.map((cause) => {
    const supports: CauseEvidence[] = []
    const refutes: CauseEvidence[] = []
    let miss = 1
    let unverified = false
    const evidenceCommands: string[] = []
    for (const p of cause.supports) {
      const m = matchPoint(p, results, declared)
      if (m.hit) {
        evidenceCommands.push(...m.commands)
        miss *= 1 - p.weight
        for (const d of m.details) supports.push({ ...d, weight: p.weight })
      }
      if (m.unknown.length) unverified = true
      for (const u of m.unknown) {
        const [check, reason] = u.split(': ')
        missing.set(check, { check: check.split('@')[0], target: check.split('@')[1], reason: reason ?? 'did not run' })
      }
    }
    let score = 1 - miss
    for (const p of cause.refutes) {
      const m = matchPoint(p, results, declared)
      if (m.hit) {
        score *= 1 - p.weight
        for (const d of m.details) refutes.push({ ...d, weight: p.weight })
      }
    }
    if (unverified && supports.length > 0) score *= UNVERIFIED_DISCOUNT
    // The findings' own commands come first: they carry the target's real address, while a
    // runbook's commands are generic (default ports, no host).
    const commands = [...new Set([...evidenceCommands, ...cause.commands])].slice(0, 6)
    return { id: cause.id, title: cause.title, score: Math.round(score * 100) / 100, supports, refutes, fix: cause.fix, commands }
  })
  causes.sort((a, b) => b.score - a.score || b.supports.length - a.supports.length)
  const top = causes[0]
  let summary: string
  if (top && top.score >= LIKELY) {
    summary = `most likely: ${top.title} (${Math.round(top.score * 100)} %)`
  } else {
    // What was ruled out is listed by the report beside the causes; the summary stays one clause.
    const ruled = causes.filter((c) => c.refutes.length > 0 && c.score < 0.1).length
    summary = `no cause found${ruled ? ` (${ruled} ruled out)` : ''}${missing.size ? `; could not check ${[...missing.keys()].join(', ')}` : ''}`
  }
  return { symptom: runbook.data.symptom, causes, missing: [...missing.values()], summary }
}
