/**
 * The report for people: a verdict line, then per target its problems (✗ critical, ! warning,
 * i info) with evidence, fix and the command to confirm by hand, then what passed (✓) and what
 * could not run. Colour only when asked (TTY and no NO_COLOR).
 */
import pc from 'picocolors'
import type { CheckResult, Diagnosis, Evidence, Finding, RunReport } from '../engine/types.js'

type Colors = ReturnType<typeof pc.createColors>

const STATUS_WORD = { ok: 'OK', warning: 'WARNING', critical: 'CRITICAL', unknown: 'UNKNOWN' } as const

function mark(c: Colors, sev: Finding['severity']): string {
  return sev === 'critical' ? c.red('✗') : sev === 'warning' ? c.yellow('!') : c.blue('i')
}

function evidenceLine(e: Evidence): string {
  return `${e.label}: ${e.observed}${e.expected ? ` (expected ${e.expected})` : ''}`
}

function statusColor(c: Colors, status: RunReport['status']): (s: string) => string {
  return status === 'critical' ? c.red : status === 'warning' ? c.yellow : status === 'unknown' ? c.magenta : c.green
}

function renderDiagnosis(c: Colors, d: Diagnosis): string[] {
  const out: string[] = []
  out.push(c.bold(`Symptom ${d.symptom}: ${d.summary}`))
  const shown = d.causes.filter((x) => x.score > 0).slice(0, 5)
  shown.forEach((cause, i) => {
    const pct = `${Math.round(cause.score * 100)}%`.padStart(4)
    out.push(`${i === 0 ? c.bold(`${i + 1}.`) : `${i + 1}.`} ${pct}  ${i === 0 ? c.bold(cause.title) : cause.title}  ${c.dim(cause.id)}`)
    for (const s of cause.supports) out.push(`      ${c.green('+')} ${s.detail}`)
    for (const r of cause.refutes) out.push(`      ${c.red('−')} ${r.detail}`)
    if (i === 0) {
      out.push(`      ${c.bold('fix:')} ${cause.fix}`)
      for (const cmd of cause.commands.slice(0, 3)) out.push(`      ${c.cyan('$')} ${cmd}`)
    }
  })
  const ruledOut = d.causes.filter((x) => x.score === 0 && x.refutes.length > 0)
  if (ruledOut.length > 0) out.push(c.dim(`   ruled out: ${ruledOut.map((x) => x.title).join('; ')}`))
  for (const m of d.missing) out.push(c.magenta(`   ? could not check ${m.check}${m.target ? ` on ${m.target}` : ''}: ${m.reason}`))
  if (d.timeline) {
    out.push(c.bold('Timeline:'))
    for (const e of d.timeline.events.slice(-8)) out.push(`   ${e.at.replace('T', ' ').slice(0, 19)}  ${e.kind === 'errors' ? c.red(e.what) : e.what}`)
    if (d.timeline.summary) out.push(`   ${c.bold(d.timeline.summary)}`)
  }
  out.push('')
  return out
}

export function renderText(report: RunReport, opts: { color: boolean; verbose?: boolean }): string {
  const c = pc.createColors(opts.color)
  const out: string[] = []
  const counts = (sev: string) => report.findings.filter((f) => f.severity === sev).length
  const sc = statusColor(c, report.status)
  // Count the targets something ran on (`medic check mysql` is about one target, not all of them).
  const checked = report.targets.filter((t) => report.checks.some((x) => x.target === t.id)).length
  out.push(
    `${sc(c.bold(STATUS_WORD[report.status]))}  ${counts('critical')} critical, ${counts('warning')} warning, ${counts('info')} info · ${checked} target${checked === 1 ? '' : 's'} · ${report.checks.length} checks · ${(report.durationMs / 1000).toFixed(2)} s`,
  )
  for (const n of report.notes) out.push(c.dim(n))
  out.push('')
  if (report.diagnosis) out.push(...renderDiagnosis(c, report.diagnosis))

  for (const t of report.targets) {
    const checks = report.checks.filter((x) => x.target === t.id) as Omit<CheckResult, 'findings'>[]
    const findings = report.findings.filter((f) => f.target === t.id)
    if (checks.length === 0 && findings.length === 0) continue
    const worst = findings[0]?.severity
    const head = worst ? mark(c, worst) : checks.some((x) => x.status === 'error') ? c.magenta('?') : c.green('✓')
    out.push(`${head} ${c.bold(t.id)} ${c.dim(`${t.kind} ${t.address}${t.source && t.source !== 'config' ? ` (${t.source})` : ''}`)}`)
    for (const f of findings) {
      out.push(`  ${mark(c, f.severity)} ${f.severity === 'critical' ? c.red(f.title) : f.severity === 'warning' ? c.yellow(f.title) : f.title}  ${c.dim(f.id)}`)
      for (const e of f.evidence) out.push(`      ${evidenceLine(e)}`)
      out.push(`      ${c.bold('fix:')} ${f.fix}`)
      for (const cmd of f.commands) out.push(`      ${c.cyan('$')} ${cmd}`)
      if (f.docs) out.push(`      ${c.dim(`docs: ${f.docs}`)}`)
    }
    // Skips mostly mean "does not apply here" (no TLS on this port, no migrations configured):
    // counted by default, listed with their reasons under --verbose.
    const skipped = checks.filter((x) => x.status === 'skipped')
    for (const x of checks) {
      if (x.status === 'skipped' && !opts.verbose) continue
      if (x.status === 'ok') {
        const first = x.evidence[0]
        out.push(`  ${c.green('✓')} ${x.id}${first ? c.dim(`  ${evidenceLine(first)}`) : ''}${opts.verbose ? c.dim(` ${x.durationMs} ms`) : ''}`)
      } else if (x.status === 'skipped') {
        out.push(`  ${c.dim(`– ${x.id} skipped: ${x.reason ?? ''}`)}`)
      } else if (x.status === 'error') {
        out.push(`  ${c.magenta('?')} ${x.id} could not run: ${x.reason ?? 'unknown error'}`)
      } else if (x.reason) {
        out.push(`  ${c.dim(`  (${x.id}: ${x.reason})`)}`)
      }
    }
    if (skipped.length > 0 && !opts.verbose) out.push(c.dim(`  – ${skipped.length} check${skipped.length > 1 ? 's' : ''} skipped (-v shows why)`))
    out.push('')
  }
  const next = report.diagnosis?.causes.find((x) => x.score > 0)?.commands[0] ?? report.findings.find((f) => f.commands.length > 0)?.commands[0]
  if (next) out.push(`${c.bold('next:')} ${next}`)
  else if (report.status === 'ok') out.push(c.green('Nothing wrong found.'))
  return `${out.join('\n').replace(/\n+$/, '')}\n`
}
