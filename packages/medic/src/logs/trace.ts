/**
 * One request's path: every event carrying the request/trace id, from every source, in time order,
 * with the gaps between steps and the first failing step (error level or a 5xx) marked.
 */
import type { GroupStats } from './aggregate.js'
import { analyze, holdsIdWord, type AnalyzeOptions, type SourceReport } from './analyze.js'
import { clip, fmtTime, redactText } from './findings.js'
import { LEVEL, levelName, type LogEvent } from './types.js'

export interface TraceStep {
  ts: number
  offsetMs: number
  gapBeforeMs: number
  gap: boolean
  failing: boolean
  service: string
  level: string
  message: string
  status: number
  durationMs: number
  source: string
  line: number
  group: string
  exception?: string
}

export interface TraceResult {
  id: string
  steps: TraceStep[]
  services: string[]
  durationMs: number
  failingIndex: number
  sources: SourceReport[]
  truncated: boolean
  /** The full ids the given id (a prefix, or the whole id) matched, most frequent first. */
  ids: string[]
}

const MAX_EVENTS = 10_000

export async function traceRequest(id: string, o: Omit<AnalyzeOptions, 'traceId' | 'onEvent'> & { gapMs?: number }): Promise<TraceResult> {
  const events: { ev: LogEvent; group: GroupStats | null; order: number }[] = []
  let truncated = false
  const a = await analyze({
    ...o,
    traceId: id,
    groupAll: true,
    onEvent: (ev, group) => {
      if (events.length >= MAX_EVENTS) {
        truncated = true
        return
      }
      events.push({ ev, group, order: events.length })
    },
  })
  const idOfRef = a.idOfRef
  // time order; untimed events keep their place after the timed ones of their source
  events.sort((x, y) => {
    const tx = x.ev.ts
    const ty = y.ev.ts
    if (tx === tx && ty === ty && tx !== ty) return tx - ty
    if (tx !== tx && ty === ty) return 1
    if (tx === tx && ty !== ty) return -1
    return x.order - y.order
  })
  const gapMs = o.gapMs ?? gapThreshold(events.map((e) => e.ev.ts))
  const t0 = events.find((e) => e.ev.ts === e.ev.ts)?.ev.ts ?? NaN
  let prev = NaN
  let failingIndex = -1
  const steps: TraceStep[] = events.map(({ ev, group }, i) => {
    const gapBefore = prev === prev && ev.ts === ev.ts ? ev.ts - prev : 0
    if (ev.ts === ev.ts) prev = ev.ts
    const failing = failingIndex < 0 && (ev.level >= LEVEL.error || ev.status >= 500)
    if (failing) failingIndex = i
    return {
      ts: ev.ts,
      offsetMs: ev.ts === ev.ts && t0 === t0 ? ev.ts - t0 : NaN,
      gapBeforeMs: gapBefore,
      gap: gapBefore >= gapMs,
      failing,
      service: ev.service,
      level: levelName(ev.level),
      message: redactText(clip(ev.message || ev.raw, 300)),
      status: ev.status,
      durationMs: ev.durationMs,
      source: a.sources[ev.source]?.name ?? '?',
      line: ev.line,
      group: group ? idOfRef[group.ref] : '',
      exception: ev.exception ? `${ev.exception.type}: ${redactText(clip(ev.exception.message, 200))}` : undefined,
    }
  })
  const idCount = new Map<string, number>()
  for (const { ev } of events) {
    const full = fullId(ev, id)
    if (full) idCount.set(full, (idCount.get(full) ?? 0) + 1)
  }
  const timed = steps.filter((s) => s.ts === s.ts)
  return {
    id,
    steps,
    services: [...new Set(steps.map((s) => s.service).filter(Boolean))],
    durationMs: timed.length > 1 ? timed[timed.length - 1].ts - timed[0].ts : 0,
    failingIndex,
    sources: a.sources,
    truncated,
    ids: [...idCount].sort((x, y) => y[1] - x[1]).map(([k]) => k),
  }
}

/** The whole id an event carries that starts with `id`: its request/trace field, else the word in its text. */
function fullId(ev: LogEvent, id: string): string {
  if (ev.traceId.startsWith(id)) return ev.traceId
  for (let i = ev.raw.indexOf(id); i >= 0; i = ev.raw.indexOf(id, i + 1)) {
    if (!holdsIdWord(ev.raw.slice(Math.max(0, i - 1), i + id.length), id)) continue
    const m = /^[\w-]+/.exec(ev.raw.slice(i, i + 200))
    // a traceparent in the text: its trace id
    return m ? m[0].replace(/^([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/, '$1') : id
  }
  return ''
}

/** A gap is a pause of at least 1 s, or 5× the median step when steps are slow. */
function gapThreshold(ts: number[]): number {
  const t = ts.filter((x) => x === x).sort((a, b) => a - b)
  const d: number[] = []
  for (let i = 1; i < t.length; i++) d.push(t[i] - t[i - 1])
  d.sort((a, b) => a - b)
  const median = d.length ? d[Math.floor(d.length / 2)] : 0
  return Math.max(1000, median * 5)
}

function dur(ms: number): string {
  if (ms !== ms) return '?'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`
  return `${(ms / 60_000).toFixed(1)} min`
}

export function traceText(r: TraceResult, color: { red: (s: string) => string; dim: (s: string) => string; yellow: (s: string) => string; bold: (s: string) => string }): string {
  const out: string[] = []
  if (r.steps.length === 0) {
    out.push(`medic trace ${r.id}: no event carries this id in ${r.sources.map((s) => s.name).join(', ')}`)
    return out.join('\n') + '\n'
  }
  if (r.ids.length > 1) out.push(color.yellow(`note: ${r.id} is the start of ${r.ids.length} different ids (${r.ids.slice(0, 5).join(', ')}${r.ids.length > 5 ? ', …' : ''}); give more of the id to follow one request`))
  out.push(color.bold(`medic trace ${r.id}: ${r.steps.length} events across ${r.services.length} service${r.services.length === 1 ? '' : 's'} (${r.services.join(', ')}), ${dur(r.durationMs)}`))
  const svcW = Math.min(16, Math.max(7, ...r.services.map((s) => s.length)))
  for (const s of r.steps) {
    if (s.gap) out.push(color.yellow(`  ⋯ gap ${dur(s.gapBeforeMs)}`))
    const off = s.offsetMs === s.offsetMs ? `+${dur(s.offsetMs)}` : '?'
    const mark = s.failing ? color.red('✗') : s.level === 'warn' ? color.yellow('!') : ' '
    const lvl = s.level === 'error' || s.level === 'fatal' ? color.red(s.level.padEnd(5)) : s.level.padEnd(5)
    const extra = [s.status ? `status ${s.status}` : '', s.durationMs === s.durationMs ? `${Math.round(s.durationMs)} ms` : ''].filter(Boolean).join(', ')
    out.push(`${mark} ${off.padStart(10)}  ${s.service.padEnd(svcW).slice(0, svcW)}  ${lvl}  ${s.message}${extra ? color.dim(` (${extra})`) : ''}  ${color.dim(`${s.source}:${s.line}`)}`)
    if (s.exception) out.push(`               ${color.red(s.exception)}`)
    if (s.failing) out.push(color.red(`               ↑ failing step (${s.service}${s.ts === s.ts ? ` at ${fmtTime(s.ts)}` : ''})`))
  }
  if (r.truncated) out.push(color.dim(`  (stopped at ${r.steps.length} events)`))
  return out.join('\n') + '\n'
}

export function traceJson(r: TraceResult) {
  return {
    schemaVersion: 1,
    command: 'trace',
    id: r.id,
    services: r.services,
    durationMs: r.durationMs,
    failingStep: r.failingIndex >= 0 ? r.failingIndex : null,
    truncated: r.truncated,
    ids: r.ids,
    sources: r.sources.map((s) => ({ name: s.name, format: s.format, lines: s.lines, problems: s.problems })),
    steps: r.steps.map((s) => ({ ...s, ts: s.ts === s.ts ? new Date(s.ts).toISOString() : null, offsetMs: s.offsetMs === s.offsetMs ? s.offsetMs : null, durationMs: s.durationMs === s.durationMs ? s.durationMs : null })),
  }
}
