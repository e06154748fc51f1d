/**
 * One source's pass: bytes → lines → records → events, counted into a tally (totals, known errors,
 * markers, filtered) and handed to a group sink when at or above the grouping level. The same pass
 * runs on the main thread and, for a byte range of a big file, in a worker (worker.ts): grouping is
 * order-dependent, so it is behind the sink — the Grouper itself, or a record of grouping inputs
 * replayed later in input order (group-log.ts). Records below the grouping level take a fast path —
 * level and time read without a full parse — and are only counted, unless every event is needed.
 */
import { openSync, readSync, closeSync } from 'node:fs'
import type { GroupStats, Totals } from './aggregate.js'
import { detect, parserByName, SAMPLE_LINES } from './detect.js'
import { isExceptionHeader, parseException } from './exceptions.js'
import { find429, findRateLimit, findUtcnow, matchKnown, maybeKnownAtInfo, type CompiledKnownError } from './known-errors.js'
import { detached } from './detach.js'
import { fastScanner, type JsonLayout } from './fast-scan.js'
import { LineSplitter } from './lines.js'
import { InterleavedAssembler, RecordAssembler, type Assembler } from './multiline.js'
import { findStatus, httpStatusIn } from './parse/http-status.js'
import { newEvent, quick, type RecordParser, type StatusPlace } from './parse/parser.js'
import { plainParser, timestampedParser } from './parse/plain.js'
import { detectPrefix, type LinePrefix } from './prefix.js'
import { CHUNK_BYTES, type ResolvedSource } from './sources.js'
import { LEVEL, type InputProblems, type LogEvent } from './types.js'

export interface SourceReport {
  name: string
  kind: ResolvedSource['kind']
  format: string
  bytes: number
  lines: number
  records: number
  problems: InputProblems
  /** Byte ranges read side by side (1: read as one stream). Not part of the output. */
  ranges?: number
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

/** What the pass needs to know of the run's options. */
export interface ScanSettings {
  since: number
  until: number
  groupLevel: number
  service?: string
  traceId?: string
  groupAll?: boolean
  follow?: boolean
  /** Lines below the grouping level may be counted without a full parse. */
  fastOK: boolean
  /** The commonest timestamped and JSON lines may be counted in WebAssembly (fast-scan.ts; default yes). */
  wasmScan?: boolean
  onEvent?: (ev: LogEvent, group: GroupStats | null) => void
}

/** What passes add to: the run's own, or a worker's for its range. */
export interface ScanTally {
  totals: Totals
  known: Map<string, KnownHit>
  markers: Marker[]
  filtered: number
  /** Distinct details kept per known error (see knownKey); more fold into one `…` entry. */
  details?: Map<string, number>
  /** knownKey's answers by known error and detail. */
  keys?: Map<string, Map<string, { key: string; detail: string }>>
}

/** Details a known error keeps one by one ("127.0.0.1:6379"…); the rest are counted together. */
export const MAX_KNOWN_DETAILS = 20

/**
 * The key of a known error's entry for this detail: its own while the error has fewer than
 * MAX_KNOWN_DETAILS, else the shared `…` entry (a log of random hosts must not make an entry a line).
 */
export function knownKey(tally: ScanTally, specId: string, detail: string): { key: string; detail: string } {
  // the answer for a detail seen before (its own entry, or `…` once folded: neither changes)
  const byDetail = (tally.keys ??= new Map()).get(specId)
  const seen = byDetail?.get(detail)
  if (seen !== undefined) return seen
  const key = `${specId}|${detail}`
  let out: { key: string; detail: string }
  if (tally.known.has(key)) out = { key, detail }
  else {
    const details = (tally.details ??= new Map())
    const n = details.get(specId) ?? 0
    if (n < MAX_KNOWN_DETAILS) {
      details.set(specId, n + 1)
      out = { key, detail }
    } else out = { key: `${specId}|…`, detail: '…' }
  }
  // (bounded: details past the first thousand of an error are worked out each time)
  if (byDetail === undefined) tally.keys.set(specId, new Map([[detached(detail), out]]))
  else if (byDetail.size < 1000) byDetail.set(detached(detail), out)
  return out
}

/** Where an event at or above the grouping level goes (with the known error it matched, if any). */
export type GroupSink = (ev: LogEvent, hit: KnownHit | null) => GroupStats | null

export interface SourceScan {
  push(chunk: Buffer): void
  /** --follow: parse what came so far (a source may stay shorter than the detection sample). */
  settle(): void
  end(): void
  /** Lines handed to records so far (event line numbers count these). */
  readonly lineNo: number
  /** Lines read so far (the splitter's count, skipped binary lines included). */
  readonly lines: number
  /** The parser, once detected, and the sample it was detected from. */
  readonly parser: RecordParser | null
  /** Lines carry a collector's prefix (compose, kubectl): read as one stream, not in ranges. */
  readonly prefixed: boolean
  readonly sample: string[]
}

/** A grouped event's known error: the hit lists the group, the group counts the error. */
export function tieKnown(h: KnownHit, g: GroupStats): void {
  h.groups.add(g)
  g.known.set(h.spec.id, (g.known.get(h.spec.id) ?? 0) + 1)
}

const RE_MARKER = /Started server process|Application startup complete|Starting gunicorn|Booting worker|Listening (?:on|at)|Server listening|server started|Started \w+Application|Running upgrade|Running migrations|Applying migration|Migrating to/i

/** The parser a detection named (`plain` as detected, not re-detected among the plain kinds). */
export function parserNamed(name: string, sample: string[]): RecordParser {
  return name === 'plain' ? plainParser : parserByName(name, sample)
}

export function scanSource(
  s: ScanSettings,
  tally: ScanTally,
  si: number,
  report: SourceReport,
  defaultService: string,
  group: GroupSink,
  /** A forced format, or the parser already detected (and its sample); lines before this pass. */
  how: { format?: string; parser?: RecordParser; sample?: string[]; lineBase?: number } = {},
): SourceScan {
  const { since, until, groupLevel, service, traceId, fastOK } = s
  const totals = tally.totals
  const known = tally.known
  const markers = tally.markers
  // the last timestamp seen (untimed lines take it) and the pending line's, in a typed array: a
  // double kept in a closure variable is boxed anew on every store, one allocation per line
  const times = new Float64Array([NaN, NaN])
  const LAST = 0
  const PEND = 1
  let parser: RecordParser | null = null
  // where the format carries an HTTP status (RecordParser.httpStatus): a request line's status the
  // fast path reads itself; a record with a status key takes the full parse
  let statusPlace: StatusPlace = 'request-line'
  let assembler: Assembler | null = null
  const sample: string[] = []
  let detectedFrom: string[] = []

  // a collector's line prefix (compose, kubectl): cut off each line; the service it names is kept
  // for the lines that may start a record, until their record is out
  let prefix: LinePrefix | null = null
  // the service of each recent line, by line number in a ring: a record is handed on within
  // ~4 400 lines of its first (InterleavedAssembler closes older ones), fewer than the ring holds
  const prefixService: string[] = []
  // and the app instance of each line: a stream of its own, assembled apart from the others
  const prefixInstance: string[] = []
  const RING = 8191

  const onRecord = (first: string, rest: string[] | null, lineNo: number): void => {
    report.records++
    const prefixSvc = prefix === null ? '' : (prefixService[lineNo & RING] ?? '')
    if (traceId !== undefined && !holdsIdWord(first, traceId) && !(rest && rest.some((l) => holdsIdWord(l, traceId)))) {
      // not this request: count only
      return
    }
    // an HTTP status inside a structured record (statusCode, status=…) needs the full parse; a line
    // the block scan read at or above the grouping level needs it too (no second quick read)
    if (fastOK && rest === null && lineNo !== aboveLine && parser!.quick && (statusPlace === 'request-line' || findStatus(first, 0, statusPlace) < 0)) {
      const lvl = parser!.quick(first)
      if (lvl >= 0 && lvl < groupLevel) {
        let ts = quick.ts
        if (ts !== ts) ts = times[LAST]
        else times[LAST] = ts
        if (ts < since || ts > until) {
          tally.filtered++
          return
        }
        if (!maybeKnownAtInfo(first) && !markerAt(first, quick.msg)) {
          totals.count(ts, lvl, statusPlace === 'request-line' ? httpStatusIn(first, 0, first.length) : 0)
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
    if (ev.ts !== ev.ts) ev.ts = times[LAST]
    else times[LAST] = ev.ts
    if (!ev.service) ev.service = prefixSvc || defaultService
    if (ev.ts < since || ev.ts > until || (service && ev.service !== service)) {
      tally.filtered++
      return
    }
    if (traceId !== undefined && !ev.traceId.startsWith(traceId) && !holdsIdWord(ev.raw, traceId)) return
    totals.count(ev.ts, ev.level, ev.status)
    if (ev.level < LEVEL.warn && maybeMarker(first)) {
      const m = RE_MARKER.exec(first)
      if (m && markers.length < 1000) markers.push({ ts: ev.ts, kind: /upgrade|migrat/i.test(m[0]) ? 'migration' : 'restart', text: detached((ev.message || first).slice(0, 200)) })
    }
    let hit: KnownHit | null = null
    if (ev.level >= LEVEL.warn || maybeKnownAtInfo(ev.raw)) {
      // at most one: the list is ordered most specific first
      for (const m of matchKnown(knownText(ev, first, rest))) {
        const spec = m.spec
        const { key, detail } = knownKey(tally, spec.id, m.detail)
        let h = known.get(key)
        if (!h) known.set(key, (h = { spec, count: 0, first: ev.ts, last: ev.ts, detail: detached(detail), example: keptEvent(ev), groups: new Set(), perMinute: new Map() }))
        h.count++
        if (ev.ts < h.first || h.first !== h.first) h.first = ev.ts
        if (ev.ts > h.last || h.last !== h.last) h.last = ev.ts
        if (ev.ts === ev.ts) {
          const mi = Math.floor(ev.ts / 60_000)
          h.perMinute.set(mi, (h.perMinute.get(mi) ?? 0) + 1)
        }
        if (!h.example?.traceId && ev.traceId) h.example = keptEvent(ev)
        hit = h
      }
    }
    const g = s.groupAll || ev.level >= groupLevel ? group(ev, hit) : null
    s.onEvent?.(ev, g)
  }

  let lineNo = how.lineBase ?? 0
  // the last line the block scan found at or above the grouping level (its record's quick read is done)
  let aboveLine = -1
  const onLine = (line: string): void => {
    lineNo++
    if (prefix !== null) line = cutPrefix(line, lineNo)
    if (assembler !== null) {
      assembler.push(line, lineNo)
      return
    }
    sample.push(line)
    if (sample.length >= SAMPLE_LINES) startParsing()
  }
  // Block fast path: lines are scanned by offset in the decoded chunk; a line is sliced out only
  // when it needs more than counting (a higher level, a peek hit, a continuation).
  const wasm = s.wasmScan === false ? null : fastScanner()
  // what the scanner reads for this parser: timestamped lines (null), a JSON layout, or nothing
  let wasmLayout: JsonLayout | null | undefined
  let pendText = ''
  let pendA = -1
  let pendB = 0
  let pendLine = 0
  let pendLevel = 0
  let pendStatus = 0
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
    let ts = times[PEND]
    if (ts !== ts) ts = times[LAST]
    else times[LAST] = ts
    if (ts < since || ts > until) {
      tally.filtered++
      return
    }
    totals.count(ts, pendLevel, pendStatus)
  }
  const blockScan = (text: string, bytes: Uint8Array | null): number => {
    const p = parser!
    const asm = assembler!
    const len = text.length
    // runs of the commonest lines counted in WebAssembly (fast-scan.ts), this block's bytes loaded
    const fast = bytes !== null && wasm !== null && wasmLayout !== undefined && wasm.useJson(wasmLayout) && wasm.load(bytes, groupLevel, since, until) ? wasm : null
    // lines to read here before trying it again: the next one, unless it keeps finding nothing
    // (a file of errors, say), then every 16th
    let fastWait = 0
    let fastMisses = 0
    // where " 429" occurs in this block (rare): a line holding one takes the slow path
    let peek429 = -2
    // and the other needles of known errors logged at info (maybeKnownAtInfo)
    let peekRate = -2
    let peekUtc = -2
    // where the next HTTP request line (plain) or status key (structured) is: its status counts
    let peekHttp = -2
    let a = 0
    let n = 0
    for (;;) {
      if (fast !== null && --fastWait <= 0) {
        const next = fast.scan(a)
        const run = fast.run
        if (run.lines > 0) {
          // the first line counted there starts a record: what was pending ends here, as below
          if (pendA >= 0) commitPending()
          else asm.flush(lineNo + 1)
          totals.countRun(run.slots, run.first, run.last, run.http)
          tally.filtered += run.filtered
          report.records += run.lines
          times[LAST] = run.lastRead
          lineNo += run.lines
          n += run.lines
          a = next
          fastWait = 1
          fastMisses = 0
        } else fastWait = ++fastMisses > 32 ? 16 : 1
      }
      let e = text.indexOf('\n', a)
      if (e < 0) e = len
      let b = e
      if (b > a && text.charCodeAt(b - 1) === 13) b--
      n++
      lineNo++
      if (b > a) {
        const lvl = p.scanAt ? p.scanAt(text, a, b, groupLevel) : p.isStartAt!(text, a) ? p.quickAt!(text, a, b, groupLevel) : -2
        // read now: flushing the record before may parse another line into `quick`
        const qTs = quick.ts
        const qMsg = quick.msg
        if (lvl !== -2) {
          if (pendA >= 0) commitPending()
          else asm.flush(lineNo)
          if (lvl >= 0 && lvl < groupLevel) {
            // each the first at or after this line (-2: not looked for yet, -1: none in the rest of
            // the block); looked for again from here once passed (lines counted in WebAssembly
            // between are not searched)
            if (peek429 !== -1 && peek429 < a) peek429 = find429(text, a - 1)
            if (peekRate !== -1 && peekRate < a) peekRate = findRateLimit(text, a)
            if (peekUtc !== -1 && peekUtc < a) peekUtc = findUtcnow(text, a)
            if (peekHttp !== -1 && peekHttp < a) peekHttp = findStatus(text, a - 1, statusPlace)
            const http = peekHttp >= a && peekHttp < b
            pendText = text
            pendA = a
            pendB = b
            pendLine = lineNo
            times[PEND] = qTs
            pendLevel = lvl
            pendStatus = http && statusPlace === 'request-line' ? httpStatusIn(text, a, b) : 0
            pendMsg = qMsg
            pendPeek = (peek429 >= a && peek429 < b) || (peekRate >= a && peekRate < b) || (peekUtc >= a && peekUtc < b) || (http && statusPlace !== 'request-line') || markerAt(text, pendMsg < 0 ? -2 : pendMsg)
          } else {
            if (lvl >= 0) aboveLine = lineNo
            asm.push(text.slice(a, b), lineNo)
          }
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
  // a block of prefixed lines: cut each prefix (noting its service), then scan what is left
  const prefixedBlockScan = (text: string): number => {
    const parts: string[] = []
    let n = lineNo
    for (let a = 0; ; ) {
      let e = text.indexOf('\n', a)
      if (e < 0) e = text.length
      parts.push(cutPrefix(text.slice(a, e), ++n))
      if (e >= text.length) break
      a = e + 1
    }
    return blockScan(parts.join('\n'), null)
  }
  const cutPrefix = (line: string, n: number): string => {
    const c = prefix!.cut(line)
    if (c < 0) {
      prefixService[n & RING] = ''
      prefixInstance[n & RING] = ''
      return line
    }
    prefixService[n & RING] = prefix!.service
    prefixInstance[n & RING] = prefix!.instance
    return line.slice(c)
  }
  const useParser = (p: RecordParser): void => {
    parser = p
    statusPlace = p.httpStatus ?? 'request-line'
    wasmLayout = p === timestampedParser && statusPlace === 'request-line' ? null : p.jsonLayout
    report.format = prefix === null ? p.name : `${prefix.kind}: ${p.name}`
    assembler = prefix === null ? new RecordAssembler(p, onRecord) : new InterleavedAssembler(p, onRecord, (n) => prefixInstance[n & RING] ?? '')
    if (fastOK && p.isStartAt && p.quickAt && !s.follow) splitter.block = prefix === null ? blockScan : prefixedBlockScan
  }
  const startParsing = (): void => {
    const forced = how.format
    detectedFrom = sample.slice()
    prefix = detectPrefix(sample)
    if (prefix !== null) {
      const first = lineNo - sample.length
      for (let i = 0; i < sample.length; i++) sample[i] = cutPrefix(sample[i], first + i + 1)
    }
    useParser(forced && forced !== 'auto' ? parserByName(forced, sample) : detect(sample))
    let n = lineNo - sample.length
    for (const l of sample) assembler!.push(l, ++n)
    sample.length = 0
  }
  const splitter = new LineSplitter(report.problems, onLine)
  if (how.parser) {
    useParser(how.parser)
    detectedFrom = how.sample ?? []
  }

  return {
    push: (chunk) => splitter.push(chunk),
    settle() {
      if (assembler === null && sample.length > 0) startParsing()
      ;(assembler as Assembler | null)?.flush()
    },
    end() {
      splitter.end()
      if (assembler === null) startParsing()
      if (pendA >= 0) commitPending()
      ;(assembler as Assembler | null)?.flush()
      report.lines = splitter.lines
    },
    get lineNo() {
      return lineNo
    },
    get lines() {
      return splitter.lines
    },
    get parser() {
      return parser
    },
    get prefixed() {
      return prefix !== null
    },
    get sample() {
      return detectedFrom
    },
  }
}

/**
 * Read bytes [start, end) of a file in CHUNK_BYTES pieces aligned on multiples of CHUNK_BYTES from
 * the file's start: the same pieces a whole-file read hands the line splitter, so a range read
 * alone splits and decodes its lines exactly as it would have been in one pass.
 */
export function readRange(path: string, start: number, end: number, each: (chunk: Buffer) => void): void {
  const fd = openSync(path, 'r')
  try {
    let pos = start
    // one buffer for every piece: `each` is done with a piece when it returns (the line splitter
    // copies the tail it keeps), and fresh 1 MiB buffers cost page faults and GC (~30 % of the read)
    const buf = Buffer.allocUnsafe(CHUNK_BYTES)
    while (pos < end) {
      const want = Math.min(end, (Math.floor(pos / CHUNK_BYTES) + 1) * CHUNK_BYTES) - pos
      let got = 0
      while (got < want) {
        const n = readSync(fd, buf, got, want - got, pos + got)
        if (n === 0) break
        got += n
      }
      if (got === 0) break
      each(buf.subarray(0, got))
      pos += got
    }
  } finally {
    closeSync(fd)
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

/** The event as kept as a known error's example: its texts copied (see detach.ts). */
function keptEvent(ev: LogEvent): LogEvent {
  ev.raw = detached(ev.raw)
  ev.message = detached(ev.message)
  ev.traceId = detached(ev.traceId)
  ev.service = detached(ev.service)
  if (ev.stack) ev.stack = detached(ev.stack)
  return ev
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
  if (!markerFirst(c)) {
    let i = msg
    const stop = Math.min(line.length, msg + 60)
    while (i < stop && (c = line.charCodeAt(i)) < 128 && NAME_CHAR[c] === 1) i++
    if (line.charCodeAt(i) !== 58 || line.charCodeAt(i + 1) !== 32 || !markerFirst(line.charCodeAt(i + 2))) return false
  }
  RE_MARKER_AT.lastIndex = msg
  return RE_MARKER_AT.test(line)
}
// letters, digits and . _ - [ ]: the characters of a logger name before `: ` (a table: one load per character)
const NAME_CHAR = new Uint8Array(128)
for (let c = 0; c < 128; c++) if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 95 || c === 45 || c === 91 || c === 93) NAME_CHAR[c] = 1
// S(tarted, tarting, erver), A(pplication, pplying), B(ooting), L(istening), U(vicorn), R(unning), M(igrating)
const MARKER_FIRST = new Uint8Array(128)
for (const ch of 'SABLURM') MARKER_FIRST[ch.charCodeAt(0)] = 1
const markerFirst = (c: number): boolean => c < 128 && MARKER_FIRST[c] === 1
function maybeMarker(line: string): boolean {
  return MARKER_NEEDLES.test(line)
}
