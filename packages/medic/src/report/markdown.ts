/** Markdown to paste into an incident ticket: verdict, diagnosis, findings table, details, checks. */
import type { RunReport } from '../engine/types.js'

const ICON = { critical: '🔴', warning: '🟠', info: '🔵' } as const

/** Table cells must not break the table. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

export function renderMarkdown(report: RunReport): string {
  const out: string[] = []
  out.push(`## medic: ${report.status.toUpperCase()}`)
  out.push('')
  out.push(`Run at ${report.startedAt} in ${report.durationMs} ms · ${report.targets.length} targets · ${report.checks.length} checks`)
  out.push('')
  if (report.diagnosis) {
    const d = report.diagnosis
    out.push(`### Diagnosis: ${d.symptom}`, '', d.summary, '')
    d.causes
      .filter((c) => c.score > 0)
      .slice(0, 5)
      .forEach((c, i) => {
        out.push(`${i + 1}. **${c.title}** (${Math.round(c.score * 100)} %, \`${c.id}\`)`)
        for (const s of c.supports) out.push(`   - for: ${s.detail}`)
        for (const r of c.refutes) out.push(`   - against: ${r.detail}`)
        out.push(`   - fix: ${c.fix}`)
      })
    for (const m of d.missing) out.push(`- could not check \`${m.check}\`: ${m.reason}`)
    if (d.timeline) {
      out.push('', '**Timeline**', '')
      for (const e of d.timeline.events.slice(-8)) out.push(`- ${e.at.replace('T', ' ').slice(0, 19)} ${e.what}`)
      if (d.timeline.summary) out.push('', d.timeline.summary)
    }
    out.push('')
  }
  if (report.findings.length > 0) {
    out.push('### Findings', '', '| | finding | target | title |', '|---|---|---|---|')
    for (const f of report.findings) out.push(`| ${ICON[f.severity]} ${f.severity} | \`${f.id}\` | ${cell(f.target)} | ${cell(f.title)} |`)
    out.push('')
    for (const f of report.findings) {
      out.push(`#### ${ICON[f.severity]} \`${f.id}\` on ${f.target}: ${f.title}`, '')
      for (const e of f.evidence) out.push(`- ${e.label}: **${e.observed}**${e.expected ? ` (expected ${e.expected})` : ''}`)
      out.push('', `**Fix:** ${f.fix}`, '')
      if (f.commands.length > 0) out.push('```sh', ...f.commands, '```', '')
    }
  } else {
    out.push('No problems found.', '')
  }
  out.push('### Targets', '', '| target | kind | address |', '|---|---|---|')
  for (const t of report.targets) out.push(`| ${cell(t.id)} | ${t.kind} | \`${cell(t.address)}\` |`)
  out.push('')
  out.push('<details><summary>Checks</summary>', '', '| check | target | status | ms | note |', '|---|---|---|---|---|')
  for (const c of report.checks) out.push(`| \`${c.id}\` | ${cell(c.target)} | ${c.status} | ${c.durationMs} | ${cell(c.reason ?? '')} |`)
  out.push('', '</details>', '')
  return out.join('\n')
}
