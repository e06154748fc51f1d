/**
 * From an analysis to the logs.* findings (shared by the checks and `medic logs`): error rate and
 * 5xx per minute in the window, error groups new in the window, exceptions, known errors. The
 * window is the last `windowMinutes` of the input (ending at its latest event), so a replayed or
 * copied log is judged as it was at the time.
 */
import type { Evidence, Severity } from '../engine/types.js'
import { Redactor } from '../engine/redact.js'
import type { GroupStats } from './aggregate.js'
import type { Analysis, KnownHit } from './analyze.js'
import { LEVEL, levelName } from './types.js'

export interface LogThresholds {
  windowMinutes: number
  warningPct: number
  criticalPct: number
  s5xxPerMinute: number
  /** Fewer events than this in the window: no error-rate verdict (too little to judge). */
  minEvents: number
}

export const DEFAULT_THRESHOLDS: LogThresholds = { windowMinutes: 15, warningPct: 1, criticalPct: 5, s5xxPerMinute: 10, minEvents: 20 }

export interface LogFinding {
  id: 'logs.error-rate' | 'logs.new-error-group' | 'logs.unhandled-exception' | 'logs.known-error'
  severity: Severity
  title: string
  evidence: Evidence[]
  fix?: string
  /** Group ids the finding rests on. */
  groups: string[]
}

/** The fix of each finding when the data gives none (known errors carry their own). */
export const FIXES: Record<LogFinding['id'], string> = {
  'logs.error-rate': 'Open the top error groups (`medic logs <source> --group <id>`), fix the most frequent one first; a sudden rise right after a deploy points at the deploy.',
  'logs.new-error-group': 'Look at the example and the group (`medic logs <source> --group <id>`); if it started right after a deploy, restart or migration, compare with the previous version or roll back.',
  'logs.unhandled-exception': 'Start with the most frequent group: its top in-app frame is where to look. Catch the error where it can be handled, answer a clear status (e.g. 503 for a dependency down), and keep the traceback in the log.',
  'logs.known-error': 'Apply the fix given for the matched signature.',
}

const redactor = new Redactor()
/** Log text with DSN passwords, bearer tokens, JWTs, provider keys and `password=` values masked. */
export const redactText = (s: string) => redactor.redact(s)

export function fmtTime(ms: number): string {
  if (!Number.isFinite(ms)) return '?'
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z')
}

export function pct(n: number, d: number): string {
  if (d === 0) return '0 %'
  const p = (n / d) * 100
  return `${p < 10 ? p.toFixed(1) : Math.round(p)} %`
}

export function clip(s: string, n = 240): string {
  const one = s.replace(/\s*\n\s*/g, ' ⏎ ')
  return one.length > n ? one.slice(0, n - 1) + '…' : one
}

export function exampleText(g: GroupStats, sources: Analysis['sources']): string {
  const e = g.example
  if (!e) return '-'
  const where = `${sources[e.source]?.name ?? '?'}:${e.line}`
  return `${redactText(clip(e.message || e.raw, 200))} (${where}${e.traceId ? `, request ${e.traceId}` : ''})`
}

export interface Window {
  start: number
  end: number
  /** The input has events before the window (needed to call a group "new"). */
  hasBefore: boolean
}

export function windowOf(a: Analysis, t: LogThresholds): Window {
  const end = a.totals.last
  const start = end - t.windowMinutes * 60_000
  return { start, end, hasBefore: a.totals.first < start }
}

export function computeFindings(a: Analysis, t: LogThresholds = DEFAULT_THRESHOLDS, deploys: { at: string; what: string }[] = []): LogFinding[] {
  const out: LogFinding[] = []
  if (a.totals.events === 0) return out
  const w = windowOf(a, t)
  const timed = w.end === w.end
  const inWin = timed ? a.totals.between(w.start, w.end + 1) : { events: a.totals.events, errors: a.totals.errors, s5xx: a.totals.http.s5xx, minutes: 0, max5xxPerMinute: 0 }
  const winLabel = timed ? `last ${t.windowMinutes} min of the input (${fmtTime(w.start)} → ${fmtTime(w.end)})` : 'whole input (no timestamps)'
  const errGroups = a.groups.filter((g) => g.level >= LEVEL.error && (!timed || g.last >= w.start)).sort((x, y) => y.count - x.count)

  // logs.error-rate
  const rate = inWin.events ? (inWin.errors / inWin.events) * 100 : 0
  const rateSev: Severity | null = inWin.events < t.minEvents ? null : rate > t.criticalPct ? 'critical' : rate > t.warningPct ? 'warning' : null
  const s5Sev: Severity | null = inWin.max5xxPerMinute > t.s5xxPerMinute ? 'critical' : null
  if (rateSev || s5Sev) {
    const evidence: Evidence[] = [
      { label: 'error events', observed: `${inWin.errors} of ${inWin.events} (${pct(inWin.errors, inWin.events)}) in the ${winLabel}`, expected: `< ${t.warningPct} % (critical > ${t.criticalPct} %)` },
    ]
    if (a.totals.http.requests > 0) evidence.push({ label: '5xx responses', observed: `${inWin.s5xx} in the window, at most ${inWin.max5xxPerMinute} in one minute`, expected: `≤ ${t.s5xxPerMinute} per minute` })
    for (const g of errGroups.slice(0, 3)) evidence.push({ label: `top error group ${g.id}`, observed: `${g.countBetween(w.start, w.end + 1) || g.count}× ${redactText(clip(g.title(), 160))}` })
    const severity: Severity = rateSev === 'critical' || s5Sev === 'critical' ? 'critical' : 'warning'
    out.push({
      id: 'logs.error-rate',
      severity,
      title: rateSev ? `Error rate ${pct(inWin.errors, inWin.events)} in the logs` : `${inWin.max5xxPerMinute} 5xx responses in one minute`,
      evidence,
      fix: FIXES['logs.error-rate'],
      groups: errGroups.slice(0, 3).map((g) => g.id),
    })
  }

  // logs.new-error-group: first seen inside the window while the input reaches further back.
  if (timed && w.hasBefore) {
    const fresh = a.groups.filter((g) => g.level >= LEVEL.error && g.first >= w.start).sort((x, y) => x.first - y.first)
    for (const g of fresh.slice(0, 5)) {
      const evidence: Evidence[] = [
        { label: 'first seen', observed: `${fmtTime(g.first)} (input starts ${fmtTime(a.totals.first)})`, expected: 'seen before the window' },
        { label: 'count', observed: `${g.count} since, last ${fmtTime(g.last)}` },
        { label: 'example', observed: exampleText(g, a.sources) },
      ]
      const ctx = contextBefore(a, g.first, deploys)
      if (ctx) evidence.push({ label: 'started after', observed: ctx })
      out.push({
        id: 'logs.new-error-group',
        severity: 'warning',
        title: `New error group ${g.id}: ${redactText(clip(g.title(), 100))}`,
        evidence,
        fix: FIXES['logs.new-error-group'],
        groups: [g.id],
      })
    }
  }

  // logs.unhandled-exception
  const exc = a.groups.filter((g) => g.kind === 'exception' && g.level >= LEVEL.error && (!timed || g.last >= w.start)).sort((x, y) => y.count - x.count)
  if (exc.length > 0) {
    const total = exc.reduce((n, g) => n + g.count, 0)
    const evidence: Evidence[] = exc.slice(0, 5).map((g) => ({
      label: `${g.exception!.type} (group ${g.id})`,
      observed: `${g.count}× at ${g.exception!.frames[0] ?? 'no in-app frame'}${g.exception!.chain.length ? `, after ${g.exception!.chain.join(' ← ')}` : ''}; last ${fmtTime(g.last)}; e.g. ${redactText(clip(g.exception!.message || '', 120))}`,
      expected: 'no tracebacks',
    }))
    out.push({
      id: 'logs.unhandled-exception',
      severity: 'critical',
      title: `${total} exception${total === 1 ? '' : 's'} in ${exc.length} group${exc.length === 1 ? '' : 's'} (top: ${exc[0].exception!.type})`,
      evidence,
      fix: FIXES['logs.unhandled-exception'],
      groups: exc.slice(0, 5).map((g) => g.id),
    })
  }

  // logs.known-error: one finding per known cause
  const byId = new Map<string, KnownHit[]>()
  for (const h of a.known) {
    if (timed && h.last === h.last && h.last < w.start) continue
    const list = byId.get(h.spec.id) ?? []
    list.push(h)
    byId.set(h.spec.id, list)
  }
  for (const hits of byId.values()) {
    const spec = hits[0].spec
    hits.sort((x, y) => y.count - x.count)
    const count = hits.reduce((n, h) => n + h.count, 0)
    const first = Math.min(...hits.map((h) => h.first).filter((x) => x === x))
    const last = Math.max(...hits.map((h) => h.last).filter((x) => x === x))
    const ex = hits[0].example
    const evidence: Evidence[] = [
      { label: 'matched', observed: `${count}× (${hits.map((h) => redactText(clip(h.detail, 80))).slice(0, 3).join('; ')})${Number.isFinite(first) ? `, first ${fmtTime(first)}, last ${fmtTime(last)}` : ', lines without timestamps'}`, expected: 'none' },
      { label: 'example', observed: ex ? `${redactText(clip(ex.message || ex.raw, 200))} (${a.sources[ex.source]?.name ?? '?'}:${ex.line}${ex.traceId ? `, request ${ex.traceId}` : ''})` : '-' },
      { label: 'cause', observed: spec.cause },
    ]
    const detail = hits[0].detail && hits[0].detail !== hits[0].spec.id && hits[0].detail.length < 60 && /\d|at /.test(hits[0].detail) ? ` (${redactText(hits[0].detail)})` : ''
    out.push({
      id: 'logs.known-error',
      severity: spec.severity,
      title: `${spec.title}${detail}`,
      evidence,
      fix: spec.fix,
      groups: [...new Set(hits.flatMap((h) => [...h.groups].map((g) => g.id)))],
    })
  }
  return out
}

/** A restart, migration or deploy within 30 minutes before `ts`, in words. */
function contextBefore(a: Analysis, ts: number, deploys: { at: string; what: string }[]): string | null {
  const limit = ts - 30 * 60_000
  let best: { ts: number; text: string } | null = null
  for (const m of a.markers) if (m.ts <= ts && m.ts >= limit && (!best || m.ts > best.ts)) best = { ts: m.ts, text: `${m.kind} at ${fmtTime(m.ts)}: ${clip(m.text, 120)}` }
  for (const d of deploys) {
    const t = Date.parse(d.at)
    if (t <= ts && t >= limit && (!best || t > best.ts)) best = { ts: t, text: `deploy ${d.what} at ${fmtTime(t)}` }
  }
  return best ? redactText(best.text) : null
}

export { levelName }
