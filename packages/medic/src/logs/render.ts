/** `medic logs` output: the JSON document and the text report (groups with sparklines, known errors, findings). */
import pc from 'picocolors'
import type { GroupStats } from './aggregate.js'
import type { Analysis } from './analyze.js'
import { clip, exampleText, fmtTime, pct, redactText, type LogFinding } from './findings.js'
import { levelName, type InputProblems } from './types.js'

const BARS = '▁▂▃▄▅▆▇█'

/** A sparkline of per-minute counts over [from, to] in `width` buckets (blank = none). */
export function sparkline(perMinute: Map<number, number>, from: number, to: number, width = 24): string {
  if (from !== from || to !== to) return ''
  const a = Math.floor(from / 60_000)
  const b = Math.floor(to / 60_000)
  const span = Math.max(1, b - a + 1)
  const n = Math.min(width, span)
  const buckets = new Array<number>(n).fill(0)
  for (const [m, c] of perMinute) {
    if (m < a || m > b) continue
    buckets[Math.min(n - 1, Math.floor(((m - a) * n) / span))] += c
  }
  const max = Math.max(...buckets)
  if (max === 0) return ' '.repeat(n)
  return buckets.map((v) => (v === 0 ? ' ' : BARS[Math.min(7, Math.floor((v / max) * 7.999))])).join('')
}

export function statusOf(findings: LogFinding[]): 'ok' | 'warning' | 'critical' {
  if (findings.some((f) => f.severity === 'critical')) return 'critical'
  if (findings.some((f) => f.severity === 'warning')) return 'warning'
  return 'ok'
}

function problemsText(p: InputProblems): string[] {
  const out: string[] = []
  if (p.error) out.push(p.error)
  if (p.binaryLines) out.push(`${p.binaryLines} binary line${p.binaryLines === 1 ? '' : 's'} skipped`)
  if (p.invalidUtf8Lines) out.push(`${p.invalidUtf8Lines} line${p.invalidUtf8Lines === 1 ? '' : 's'} with invalid UTF-8`)
  if (p.oversizedLines) out.push(`${p.oversizedLines} over-long line${p.oversizedLines === 1 ? '' : 's'} cut to 64 KiB`)
  if (p.truncatedGzip) out.push('truncated gzip (read up to the damage)')
  if (p.cutAfterMs !== undefined) out.push(cutText(p.cutAfterMs))
  return out
}

/** A command stopped at its deadline: said the same way in the report, the checks and on stderr. */
export function cutText(ms: number): string {
  return `still running after ${(ms / 1000).toFixed(1)} s: stopped at the deadline, the output read so far is analysed`
}

const iso = (ms: number) => (ms === ms ? new Date(ms).toISOString() : null)
// The same minutes label every group's series and the totals': each is formatted once per report.
const minuteIsos = new Map<number, string>()
function minuteIso(m: number): string {
  let s = minuteIsos.get(m)
  if (s === undefined) {
    if (minuteIsos.size >= 4096) minuteIsos.clear()
    minuteIsos.set(m, (s = new Date(m * 60_000).toISOString()))
  }
  return s
}

function groupJson(g: GroupStats, a: Analysis) {
  const e = g.example
  return {
    id: g.id,
    kind: g.kind,
    level: levelName(g.level),
    count: g.count,
    firstSeen: iso(g.first),
    lastSeen: iso(g.last),
    title: redactText(g.title()),
    template: g.kind === 'template' ? redactText(g.template()) : undefined,
    exception: g.exception ? { type: g.exception.type, message: redactText(g.exception.message), frames: g.exception.frames, chain: g.exception.chain } : undefined,
    services: [...g.services],
    sources: [...g.sources].map((i) => a.sources[i]?.name),
    known: [...g.known.keys()],
    example: e ? { ts: iso(e.ts), level: levelName(e.level), service: e.service, message: redactText(clip(e.message, 1000)), traceId: e.traceId || undefined, source: a.sources[e.source]?.name, line: e.line } : null,
    perMinute: [...g.perMinute].sort((x, y) => x[0] - y[0]).slice(-1440).map(([m, n]) => [minuteIso(m), n]),
    sparkline: sparkline(g.perMinute, a.totals.first, a.totals.last),
  }
}

export interface RenderOptions {
  top: number
  minLevel: number
  groupId?: string
  color: boolean
  /** --since/--until were given (events without a timestamp cannot be placed, and are kept). */
  timeFiltered?: boolean
}

export function selectGroups(a: Analysis, o: RenderOptions): GroupStats[] {
  let gs = a.groups.filter((g) => g.level >= o.minLevel)
  if (o.groupId) gs = a.groups.filter((g) => g.id === o.groupId || g.id.startsWith(o.groupId!))
  return gs.sort((x, y) => y.level - x.level || y.count - x.count).slice(0, o.groupId ? undefined : o.top)
}

export function logsJson(a: Analysis, findings: LogFinding[], o: RenderOptions) {
  const t = a.totals
  return {
    schemaVersion: 1,
    command: 'logs',
    status: statusOf(findings),
    startedAt: new Date(a.startedAt).toISOString(),
    durationMs: a.durationMs,
    sources: a.sources.map((s) => ({ name: s.name, kind: s.kind, format: s.format, bytes: s.bytes, lines: s.lines, records: s.records, problems: s.problems })),
    range: { from: iso(t.first), to: iso(t.last) },
    totals: {
      events: t.events,
      errors: t.errors,
      warnings: t.warnings,
      errorRate: t.events ? t.errors / t.events : 0,
      byLevel: t.byLevel,
      untimed: t.untimed,
      filtered: a.filtered,
      http: { requests: t.http.requests, '2xx': t.http.s2xx, '3xx': t.http.s3xx, '4xx': t.http.s4xx, '5xx': t.http.s5xx },
      perMinute: [...t.perMinute].sort((x, y) => x[0] - y[0]).slice(-1440).map(([m, v]) => ({ minute: minuteIso(m), events: v.events, errors: v.errors, '5xx': v.s5xx })),
    },
    groupCount: a.groups.length,
    groups: selectGroups(a, o).map((g) => groupJson(g, a)),
    knownErrors: a.known
      .sort((x, y) => y.count - x.count)
      .map((h) => ({ id: h.spec.id, title: h.spec.title, severity: h.spec.severity, detail: redactText(h.detail), count: h.count, firstSeen: iso(h.first), lastSeen: iso(h.last), cause: h.spec.cause, fix: h.spec.fix, groups: [...h.groups].map((g) => g.id) })),
    markers: a.markers.slice(0, 100).map((m) => ({ ts: iso(m.ts), kind: m.kind, text: redactText(m.text) })),
    findings,
  }
}

function n(x: number): string {
  return x.toLocaleString('en-US')
}

export function logsText(a: Analysis, findings: LogFinding[], o: RenderOptions): string {
  const c = o.color ? pc : { bold: (s: string) => s, dim: (s: string) => s, red: (s: string) => s, yellow: (s: string) => s, green: (s: string) => s, cyan: (s: string) => s }
  const t = a.totals
  const lines: string[] = []
  const totalLines = a.sources.reduce((s, x) => s + x.lines, 0)
  const secs = a.durationMs / 1000
  lines.push(c.bold(`medic logs: ${n(t.events)} events from ${n(totalLines)} lines in ${secs.toFixed(1)} s${secs > 0.05 ? ` (${n(Math.round(totalLines / secs))} lines/s)` : ''}`))
  for (const s of a.sources) {
    const probs = problemsText(s.problems)
    lines.push(`  ${s.name}  ${c.dim(`${s.format}, ${n(s.lines)} lines, ${n(s.bytes)} bytes`)}${probs.length ? '  ' + c.yellow(probs.join('; ')) : ''}`)
  }
  if (t.first === t.first) lines.push(`  ${fmtTime(t.first)} → ${fmtTime(t.last)}${a.filtered ? c.dim(`  (${n(a.filtered)} events outside the filters)`) : ''}`)
  if (t.untimed > 0 && o.timeFiltered) lines.push(c.yellow(`  ${n(t.untimed)} events without a timestamp are kept: --since/--until cannot place them`))
  lines.push('')
  const rate = pct(t.errors, t.events)
  const errPerMin = new Map<number, number>()
  const s5PerMin = new Map<number, number>()
  for (const [m, v] of t.perMinute) {
    if (v.errors) errPerMin.set(m, v.errors)
    if (v.s5xx) s5PerMin.set(m, v.s5xx)
  }
  lines.push(`  events ${n(t.events)}   errors ${n(t.errors)} (${rate})   warnings ${n(t.warnings)}${t.http.requests ? `   requests ${n(t.http.requests)} (5xx ${n(t.http.s5xx)}, 4xx ${n(t.http.s4xx)})` : ''}`)
  if (t.errors) lines.push(`  errors/min  ${c.red(sparkline(errPerMin, t.first, t.last, 48))}`)
  if (t.http.s5xx) lines.push(`  5xx/min     ${c.red(sparkline(s5PerMin, t.first, t.last, 48))}`)
  lines.push('')
  const groups = selectGroups(a, o)
  if (groups.length === 0) lines.push(c.green(`  no ${levelName(o.minLevel)}-or-worse groups`))
  else {
    lines.push(c.bold(`  ${o.groupId ? 'group' : `top ${groups.length} of ${a.groups.length} groups`} (count, level, trend ${fmtTime(t.first).slice(11, 16)}→${fmtTime(t.last).slice(11, 16)}, id)`))
    for (const g of groups) {
      const lvl = levelName(g.level)
      const col = g.level >= 50 ? c.red : g.level >= 40 ? c.yellow : (s: string) => s
      lines.push(`  ${String(g.count).padStart(7)}  ${col(lvl.padEnd(5))}  ${col(sparkline(g.perMinute, t.first, t.last))}  ${c.dim(g.id)}  ${redactText(clip(g.title(), 110))}`)
      const known = [...g.known.keys()]
      if (known.length) lines.push(`           ${c.cyan('known: ' + known.join(', '))}`)
      lines.push(`           ${c.dim(`${fmtTime(g.first).slice(5)} → ${fmtTime(g.last).slice(5)}  e.g. ${exampleText(g, a.sources)}`)}`)
      if (o.groupId && g.example) {
        lines.push('', ...redactText(g.example.raw).split('\n').slice(0, 60).map((l) => `      ${l}`))
      }
    }
  }
  if (a.known.length) {
    lines.push('', c.bold('  known errors'))
    const seen = new Set<string>()
    for (const h of [...a.known].sort((x, y) => y.count - x.count)) {
      if (seen.has(h.spec.id)) continue
      seen.add(h.spec.id)
      const count = a.known.filter((k) => k.spec.id === h.spec.id).reduce((s, k) => s + k.count, 0)
      lines.push(`  ${h.spec.severity === 'critical' ? c.red('✗') : c.yellow('!')} ${h.spec.title} ${c.dim(`(${h.spec.id}, ${count}×, last ${fmtTime(h.last)})`)}`)
      lines.push(`      cause: ${h.spec.cause}`)
      lines.push(`      fix:   ${h.spec.fix}`)
    }
  }
  if (findings.length) {
    lines.push('', c.bold('  findings'))
    for (const f of findings) {
      lines.push(`  ${f.severity === 'critical' ? c.red('✗') : f.severity === 'warning' ? c.yellow('!') : '·'} ${f.id}  ${f.title}`)
      for (const e of f.evidence.slice(0, 3)) lines.push(c.dim(`      ${e.label}: ${e.observed}${e.expected ? ` (expected ${e.expected})` : ''}`))
    }
  }
  return lines.join('\n') + '\n'
}
