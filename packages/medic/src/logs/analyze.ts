/**
 * The pipeline: sources → lines → records → events → filter → group → aggregate. Streaming, one
 * pass, bounded memory (groups and per-minute counters, never the events). Records below the
 * grouping level take a fast path — level and time read without a full parse — and are only
 * counted, unless the caller needs every event (`groupAll`, `onEvent`).
 */
import { Grouper, GroupStats, Totals } from './aggregate.js'
import { detect, parserByName, SAMPLE_LINES } from './detect.js'
import { isExceptionHeader, parseException } from './exceptions.js'
import { matchKnown, maybeKnownAtInfo, type CompiledKnownError } from './known-errors.js'
import { LineSplitter } from './lines.js'
import { RecordAssembler } from './multiline.js'
import { newEvent, quick, type RecordParser } from './parse/parser.js'
import { readChunks, resolveSources, type ResolvedSource } from './sources.js'
import { emptyProblems, LEVEL, type InputProblems, type LogEvent, type SourceSpec } from './types.js'
import { basename } from 'node:path'
import type { Readable } from 'node:stream'

export interface AnalyzeOptions {
  sources: SourceSpec[]
  cwd: string
  stdin?: Readable
  /** Keep events in [since, until] (epoch ms). */
  since?: number
  until?: number
  /** Group events at or above this level (default warn); lower ones are counted only. */
  groupLevel?: number
  /** Keep only events of this service. */
  service?: string
  /** Group every event, whatever its level (`--emit records`). */
  groupAll?: boolean
  /**
   * Keep only records that carry this request/trace id or an id starting with it: a request/trace
   * field that starts with it, or a word of the record that does (`4bf92` finds
   * `4bf92f3577b34da6…` in a JSON field and in a plain line alike, never `a4bf92…`).
   */
  traceId?: string
  /** Called for every kept event that was parsed fully, with its group when grouped. */
  onEvent?: (ev: LogEvent, group: GroupStats | null) => void
  follow?: boolean
  signal?: AbortSignal
  tailBytes?: number
  /** Epoch ms at which command sources are stopped (see ReadOptions.deadline). */
  commandDeadline?: number
  /** Start files at their end (`--follow` without `--since`). */
  fromEnd?: boolean
  /** Progress: bytes read so far, total bytes when known, lines so far. */
  onProgress?: (p: { bytes: number; totalBytes: number; lines: number; source: string }) => void
  /** Drain similarity threshold. */
  similarity?: number
  /** Record format for every source that does not name one. */
  format?: string
}

export interface SourceReport {
  name: string
  kind: ResolvedSource['kind']
  format: string
  bytes: number
  lines: number
  records: number
  problems: InputProblems
}

export interface KnownHit {
  spec: CompiledKnownError
  count: number
  first: number
  last: number
  detail: string
  example: LogEvent | null
  groups: Set<GroupStats>
  perMinute: Map<number, number>
}

/** Start-up, deploy and migration lines: context for "new since…" findings. */
export interface Marker {
  ts: number
  kind: 'restart' | 'migration'
  text: string
}

export interface Analysis {
  sources: SourceReport[]
  totals: Totals
  groups: GroupStats[]
  /** Final id of each group ref (emit mode writes refs first). */
  idOfRef: string[]
  known: KnownHit[]
  markers: Marker[]
  /** Events dropped by --since/--until/--service. */
  filtered: number
  startedAt: number
  durationMs: number
}

const RE_MARKER = /Started server process|Application startup complete|Starting gunicorn|Booting worker|Listening (?:on|at)|Server listening|server started|Started \w+Application|Running upgrade|Running migrations|Applying migration|Migrating to/i

export async function analyze(o: AnalyzeOptions): Promise<Analysis> {
  const startedAt = Date.now()
  const t0 = performance.now()
  const resolved = await resolveSources(o.sources, o.cwd)
  const totalBytes = resolved.reduce((n, s) => n + s.size, 0)
  const totals = new Totals()
  const grouper = new Grouper(o.similarity)
  const known = new Map<string, KnownHit>()
  const markers: Marker[] = []
  const reports: SourceReport[] = []
  const groupLevel = o.groupLevel ?? LEVEL.warn
  const since = o.since ?? -Infinity
  const until = o.until ?? Infinity
  const service = o.service
  const traceId = o.traceId
  const fastOK = !o.groupAll && !o.onEvent && !service && !traceId
  let filtered = 0
  let bytesSoFar = 0
  let linesSoFar = 0

  // Sources are read one after another; with --follow all at once (each stays open).
  const processSource = async (si: number): Promise<void> => {
    const src = resolved[si]
    const problems = emptyProblems()
    const report: SourceReport = { name: src.name, kind: src.kind, format: src.format ?? 'auto', bytes: 0, lines: 0, records: 0, problems }
    reports[si] = report
    const defaultService = src.service ?? (src.kind === 'file' ? basename(src.path!).replace(/(\.\d+)?(\.gz)?$/, '').replace(/\.(log|txt|json|jsonl|out|err)$/, '') : src.kind === 'stdin' ? 'stdin' : '')
    let lastTs = NaN
    let parser: RecordParser | null = null
    let assembler: RecordAssembler | null = null
    const sample: string[] = []

    const onRecord = (first: string, rest: string[] | null, lineNo: number): void => {
      report.records++
      if (traceId !== undefined && !holdsIdWord(first, traceId) && !(rest && rest.some((l) => holdsIdWord(l, traceId)))) {
        // not this request: count only
        return
      }
      if (fastOK && rest === null && parser!.quick) {
        const lvl = parser!.quick(first)
        if (lvl >= 0 && lvl < groupLevel) {
          let ts = quick.ts
          if (ts !== ts) ts = lastTs
          else lastTs = ts
          if (ts < since || ts > until) {
            filtered++
            return
          }
          if (first.indexOf(' 429') < 0 && !markerAt(first, quick.msg)) {
            totals.count(ts, lvl, 0)
            return
          }
        }
      }
      const ev = newEvent(si, lineNo)
      parser!.parse(first, ev)
      let stackText = ''
      if (rest !== null) {
        const restText = rest.join('\n')
        ev.raw = first + '\n' + restText
        stackText = isExceptionHeader(first) ? ev.raw : restText
      } else {
        ev.raw = first
        if (isExceptionHeader(first) && !ev.stack) stackText = first
      }
      if (ev.stack) stackText = stackText ? ev.stack + '\n' + stackText : ev.stack
      if (stackText) {
        ev.stack = stackText
        ev.exception = parseException(stackText)
        if (ev.exception && ev.level < LEVEL.error && (ev.level === 0 || stackText.includes('Traceback') || /^\s+at /m.test(stackText))) ev.level = LEVEL.error
      }
      if (ev.ts !== ev.ts) ev.ts = lastTs
      else lastTs = ev.ts
      if (!ev.service) ev.service = defaultService
      if (ev.ts < since || ev.ts > until || (service && ev.service !== service)) {
        filtered++
        return
      }
      if (traceId !== undefined && !ev.traceId.startsWith(traceId) && !holdsIdWord(ev.raw, traceId)) return
      totals.count(ev.ts, ev.level, ev.status)
      if (ev.level < LEVEL.warn && maybeMarker(first)) {
        const m = RE_MARKER.exec(first)
        if (m && markers.length < 1000) markers.push({ ts: ev.ts, kind: /upgrade|migrat/i.test(m[0]) ? 'migration' : 'restart', text: (ev.message || first).slice(0, 200) })
      }
      let group: GroupStats | null = null
      if (o.groupAll || ev.level >= groupLevel) {
        group = grouper.assign(ev)
        group.add(ev)
      }
      if (ev.level >= LEVEL.warn || maybeKnownAtInfo(ev.raw)) {
        for (const { spec, detail } of matchKnown(knownText(ev, first, rest))) {
          const key = `${spec.id}|${detail}`
          let h = known.get(key)
          if (!h) known.set(key, (h = { spec, count: 0, first: ev.ts, last: ev.ts, detail, example: ev, groups: new Set(), perMinute: new Map() }))
          h.count++
          if (ev.ts < h.first || h.first !== h.first) h.first = ev.ts
          if (ev.ts > h.last || h.last !== h.last) h.last = ev.ts
          if (ev.ts === ev.ts) {
            const mi = Math.floor(ev.ts / 60_000)
            h.perMinute.set(mi, (h.perMinute.get(mi) ?? 0) + 1)
          }
          if (!h.example?.traceId && ev.traceId) h.example = ev
          if (group) {
            h.groups.add(group)
            group.known.set(spec.id, (group.known.get(spec.id) ?? 0) + 1)
          }
        }
      }
      o.onEvent?.(ev, group)
    }

    let lineNo = 0
    const onLine = (line: string): void => {
      lineNo++
      if (assembler !== null) {
        assembler.push(line, lineNo)
        return
      }
      sample.push(line)
      if (sample.length >= SAMPLE_LINES) startParsing()
    }
    // Block fast path: lines are scanned by offset in the decoded chunk; a line is sliced out only
    // when it needs more than counting (a higher level, a peek hit, a continuation).
    let pendText = ''
    let pendA = -1
    let pendB = 0
    let pendLine = 0
    let pendTs = NaN
    let pendLevel = 0
    let pendMsg = -1
    let pendPeek = false
    const commitPending = (): void => {
      const a = pendA
      pendA = -1
      if (pendPeek) {
        onRecord(pendText.slice(a, pendB), null, pendLine)
        return
      }
      report.records++
      let ts = pendTs
      if (ts !== ts) ts = lastTs
      else lastTs = ts
      if (ts < since || ts > until) {
        filtered++
        return
      }
      totals.count(ts, pendLevel, 0)
    }
    const blockScan = (text: string): number => {
      const p = parser!
      const asm = assembler!
      const len = text.length
      // where " 429" occurs in this block (rare): a line holding one takes the slow path
      let peek429 = find429(text, 0)
      let a = 0
      let n = 0
      for (;;) {
        let e = text.indexOf('\n', a)
        if (e < 0) e = len
        let b = e
        if (b > a && text.charCodeAt(b - 1) === 13) b--
        n++
        lineNo++
        if (b > a) {
          const lvl = p.scanAt ? p.scanAt(text, a, b) : p.isStartAt!(text, a) ? p.quickAt!(text, a, b) : -2
          // read now: flushing the record before may parse another line into `quick`
          const qTs = quick.ts
          const qMsg = quick.msg
          if (lvl !== -2) {
            if (pendA >= 0) commitPending()
            else asm.flush()
            if (lvl >= 0 && lvl < groupLevel) {
              while (peek429 >= 0 && peek429 < a) peek429 = find429(text, peek429 + 1)
              pendText = text
              pendA = a
              pendB = b
              pendLine = lineNo
              pendTs = qTs
              pendLevel = lvl
              pendMsg = qMsg
              pendPeek = (peek429 >= a && peek429 < b) || markerAt(text, pendMsg < 0 ? -2 : pendMsg)
            } else asm.push(text.slice(a, b), lineNo)
          } else {
            if (pendA >= 0) {
              asm.push(pendText.slice(pendA, pendB), pendLine)
              pendA = -1
            }
            asm.push(text.slice(a, b), lineNo)
          }
        } else if (pendA < 0) asm.push('', lineNo)
        if (e >= len) break
        a = e + 1
      }
      return n
    }
    const startParsing = (): void => {
      const forced = src.format ?? o.format
      parser = forced && forced !== 'auto' ? parserByName(forced, sample) : detect(sample)
      report.format = parser.name
      assembler = new RecordAssembler(parser, onRecord)
      let n = lineNo - sample.length
      for (const l of sample) assembler.push(l, ++n)
      sample.length = 0
      if (fastOK && parser.isStartAt && parser.quickAt && !o.follow) splitter.block = blockScan
    }
    const splitter = new LineSplitter(problems, onLine)
    for await (const chunk of readChunks(src, problems, {
      signal: o.signal,
      stdin: o.stdin,
      follow: o.follow,
      tailBytes: o.tailBytes,
      deadline: o.commandDeadline,
      fromEnd: o.fromEnd,
      onBytes: (n) => {
        report.bytes += n
        bytesSoFar += n
      },
    })) {
      splitter.push(chunk)
      if (o.follow && assembler === null && sample.length > 0) startParsing()
      if (o.follow) (assembler as RecordAssembler | null)?.flush()
      if (o.onProgress) o.onProgress({ bytes: bytesSoFar, totalBytes, lines: linesSoFar + splitter.lines, source: src.name })
      if (o.signal?.aborted) break
    }
    splitter.end()
    if (assembler === null) startParsing()
    if (pendA >= 0) commitPending()
    ;(assembler as RecordAssembler | null)?.flush()
    report.lines = splitter.lines
    linesSoFar += splitter.lines
  }
  if (o.follow) await Promise.all(resolved.map((_, si) => processSource(si)))
  else {
    // Commands last: one that runs until its deadline (`docker logs -f`) must not leave the files
    // beside it unread when time runs out. Reports keep the order the sources were given in.
    const order = resolved.map((_, si) => si)
    for (const si of order) if (resolved[si].kind !== 'command') await processSource(si)
    for (const si of order) if (resolved[si].kind === 'command') await processSource(si)
  }

  totals.finish()
  const { groups, idOfRef } = grouper.finish()
  return {
    sources: reports,
    totals,
    groups,
    idOfRef,
    known: [...known.values()],
    markers,
    filtered,
    startedAt,
    durationMs: Math.round(performance.now() - t0),
  }
}

/**
 * The text known errors are matched against: the record without the code lines of its stack
 * (frames and source lines say where, the message and exception lines say what).
 */
function knownText(ev: LogEvent, first: string, rest: string[] | null): string {
  if (rest === null) {
    if (!ev.stack) return first
    // a JSON record holds its stack escaped inside: match on the message and the exception lines
    if (first.charCodeAt(0) === 123) return `${ev.message}\n${unindented(ev.stack.split('\n'))}${first.length < 600 ? first : ''}`
    return `${first}\n${unindented(ev.stack.split('\n'))}`
  }
  return `${first}\n${unindented(rest)}`
}

/**
 * text.indexOf(' 429', from), found by its digits: V8 searches a pattern led by a space (common in
 * logs) about half as fast as one led by the rarer `4`.
 */
export function find429(text: string, from: number): number {
  for (let i = text.indexOf('429', from + 1); i >= 0; i = text.indexOf('429', i + 1)) if (text.charCodeAt(i - 1) === 32) return i - 1
  return -1
}

/** Does `text` hold a word starting with `id` (at its start or after a character that is not a letter or digit)? */
export function holdsIdWord(text: string, id: string): boolean {
  for (let i = text.indexOf(id); i >= 0; i = text.indexOf(id, i + 1)) {
    if (i === 0) return true
    const c = text.charCodeAt(i - 1)
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return true
  }
  return false
}

function unindented(lines: string[]): string {
  let out = ''
  for (const l of lines) {
    const c = l.charCodeAt(0)
    if (c !== 32 && c !== 9 && l.length > 0) out += l + '\n'
  }
  return out
}

const MARKER_NEEDLES = /tart|isten|igrat|upgrade|Booting/
// A marker phrase at the start of the message (after an optional logger name): anchored, so a
// line that is not one fails on its first characters.
const RE_MARKER_AT = /(?:[\w.[\]-]{1,60}: )?(?:Started|Starting|Application startup|Booting|Listening|Server listening|Server started|Uvicorn running|Running upgrade|Running migrations|Applying migration|Migrating)/y
/** Is there a start-up/migration marker at the message start (or anywhere, when unknown)? */
function markerAt(line: string, msg: number): boolean {
  if (msg === -2) return false
  if (msg < 0) return MARKER_NEEDLES.test(line)
  // cheap gate: the first letter of the message, or of the word after a `logger: ` prefix,
  // must be one that starts a marker phrase
  let c = line.charCodeAt(msg)
  if (!MARKER_FIRST[c]) {
    let i = msg
    const stop = Math.min(line.length, msg + 60)
    while (i < stop) {
      c = line.charCodeAt(i)
      if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 95 || c === 45 || c === 91 || c === 93)) break
      i++
    }
    if (line.charCodeAt(i) !== 58 || line.charCodeAt(i + 1) !== 32 || !MARKER_FIRST[line.charCodeAt(i + 2)]) return false
  }
  RE_MARKER_AT.lastIndex = msg
  return RE_MARKER_AT.test(line)
}
// S(tarted, tarting, erver), A(pplication, pplying), B(ooting), L(istening), U(vicorn), R(unning), M(igrating)
const MARKER_FIRST: boolean[] = []
for (const ch of 'SABLURM') MARKER_FIRST[ch.charCodeAt(0)] = true
function maybeMarker(line: string): boolean {
  return MARKER_NEEDLES.test(line)
}
