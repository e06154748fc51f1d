/**
 * A big log file read on several cores. The file is cut into byte ranges at lines that start a
 * record whatever came before (a timestamped record start after a line that is not a
 * continuation) and that are where a single pass would start a decoded block anyway, so every
 * range splits, decodes and assembles its lines exactly as one pass would. The main thread scans
 * range 0 while a worker per other range scans it with the same parser and posts its tally and
 * the grouping inputs of its events; the main thread then adds the tallies and replays the
 * grouping inputs into its Grouper in input order. The result is the one of a single pass.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs'
import type { Worker } from 'node:worker_threads'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { Grouper } from './aggregate.js'
import { replay } from './group-log.js'
import { COMPILED } from './known-errors.js'
import { SUB_BLOCK } from './lines.js'
import { newEvent, quick, type RecordParser } from './parse/parser.js'
import { knownKey, MAX_KNOWN_DETAILS, readRange, scanSource, type GroupSink, type KnownHit, type ScanSettings, type ScanTally, type SourceReport } from './scan.js'
import { CHUNK_BYTES, type ResolvedSource } from './sources.js'
import type { RangeJob, RangeResult } from './worker.js'

/** Files below this size are read in one pass (a worker costs ~30 ms to start). */
export const PARALLEL_MIN_BYTES = 32 << 20
/** Drain clears its exact-message cache past this many entries (drain.ts). */
const DRAIN_CACHE_LIMIT = 100_000
/** The main thread's range against a worker's (1). */
const MAIN_SHARE = 1.15
/** How far past a target offset a split is looked for. */
const SEARCH_CHUNKS = 8

export function defaultJobs(): number {
  return availableParallelism()
}

/** The worker script: the bundle's (dist/logs-worker.js), else tsc's (dist/logs/worker.js). */
function workerFile(): string | null {
  const here = import.meta.url
  // the last one serves the sources run by vitest
  for (const rel of ['logs-worker.js', 'worker.js', '../../dist/logs/worker.js']) {
    const p = fileURLToPath(new URL(rel, here))
    if (existsSync(p)) return p
  }
  return null
}

export interface RangeRun {
  settings: ScanSettings
  tally: ScanTally
  grouper: Grouper
  /** The sink of the main thread's own ranges (into the grouper). */
  sink: GroupSink
  format?: string
  /** Progress: bytes newly accounted for, and the lines read so far in the whole file (estimated). */
  onBytes?: (n: number, lines: number) => void
}

/**
 * Scan a regular file in up to `jobs` ranges. Returns false, having read nothing, when it cannot
 * (no worker script); the caller then reads the file in one pass.
 */
export async function scanInRanges(run: RangeRun, src: ResolvedSource, si: number, report: SourceReport, defaultService: string, jobs: number): Promise<boolean> {
  const file = workerFile()
  if (file === null) return false
  const path = src.path!
  const size = src.size
  // start the workers now: they load while this thread reads the head and detects the format
  const workers: Worker[] = []
  // loaded here: a run without a big file needs no worker, and the module costs start-up time
  const wt = await import('node:worker_threads')
  for (let k = 1; k < jobs; k++) workers.push(new wt.Worker(file))
  const results = workers.map(
    (w) =>
      new Promise<RangeResult | null>((resolve) => {
        w.once('message', (m: { ok?: RangeResult; error?: string }) => resolve(m.ok ?? null))
        w.once('error', () => resolve(null))
        w.once('exit', () => resolve(null))
      }),
  )
  const part = (): SourceReport => ({ ...report, bytes: 0, lines: 0, records: 0, problems: { ...report.problems } })
  // Progress: the main range stands for the whole file (the workers read theirs at about the same
  // pace); a range read again here after a worker gave up adds nothing
  let mainLen = Math.ceil(size / jobs)
  let shown = 0
  const read = (scan: { push(b: Buffer): void; readonly lines: number }, r: SourceReport, a: number, b: number, main = false) =>
    readRange(path, a, b, (chunk) => {
      r.bytes += chunk.length
      scan.push(chunk)
      if (!main || !run.onBytes) return
      const share = Math.min(1, r.bytes / mainLen)
      const est = Math.round(share * size)
      run.onBytes(est - shown, Math.round((scan.lines * size) / mainLen))
      shown = est
    })

  const r0 = part()
  const scan0 = scanSource(run.settings, run.tally, si, r0, defaultService, run.sink, { format: run.format })
  const head = Math.min(size, CHUNK_BYTES)
  read(scan0, r0, 0, head, true)
  const parser = scan0.parser
  const cuts = parser && !scan0.prefixed ? findSplits(path, size, parser, jobs) : []
  const bounds = [0, ...cuts.filter((c) => c >= head), size]
  mainLen = bounds[1]
  for (let k = 1; k < workers.length + 1; k++) {
    if (k < bounds.length - 1) {
      const job: RangeJob = { path, start: bounds[k], end: bounds[k + 1], si, defaultService, format: parser!.name, sample: scan0.sample, settings: withoutCallback(run.settings) }
      workers[k - 1].postMessage(job)
    } else void workers[k - 1].terminate()
  }
  read(scan0, r0, head, bounds[1], true)
  scan0.end()
  add(report, r0)
  report.format = r0.format
  let lineBase = scan0.lineNo
  for (let k = 1; k < bounds.length - 1; k++) {
    const r = await results[k - 1]
    if (r !== null && !foldsOnMerge(run.tally, r.known) && run.grouper.cachedMessagesBound() + r.templateKeys <= DRAIN_CACHE_LIMIT) {
      mergeRange(run, r, si, lineBase)
      add(report, r.report)
      lineBase += r.lineCount
      continue
    }
    // the worker failed, or Drain may clear its cache during the replay (then one message may
    // land in two groups, and the worker could not know which events the examples need), or a
    // known error's details would fold into `…` (which ones depends on the order): read the
    // range here
    const rk = part()
    const scan = scanSource(run.settings, run.tally, si, rk, defaultService, run.sink, { parser: parser!, sample: scan0.sample, lineBase })
    read(scan, rk, bounds[k], bounds[k + 1])
    scan.end()
    add(report, rk)
    lineBase = scan.lineNo
  }
  report.ranges = bounds.length - 1
  return true
}

function withoutCallback({ onEvent: _, ...rest }: ScanSettings): Omit<ScanSettings, 'onEvent'> {
  return rest
}

function add(into: SourceReport, r: SourceReport): void {
  into.bytes += r.bytes
  into.lines += r.lines
  into.records += r.records
  const p = into.problems
  p.binaryLines += r.problems.binaryLines
  p.invalidUtf8Lines += r.problems.invalidUtf8Lines
  p.oversizedLines += r.problems.oversizedLines
}

const SPEC_BY_ID = new Map(COMPILED.map((k) => [k.id, k]))

/**
 * Would adding a worker's known hits fold a detail into the shared `…` entry (see knownKey)? Which
 * details a known error keeps one by one, and the example of its `…` entry, depend on the order
 * its events came in: a merge equals one pass only when nothing folds.
 */
export function foldsOnMerge(tally: ScanTally, known: RangeResult['known']): boolean {
  const added = new Map<string, number>()
  for (const p of known) {
    if (p.detail === '…') return true
    if (tally.known.has(`${p.specId}|${p.detail}`)) continue
    const n = (added.get(p.specId) ?? 0) + 1
    added.set(p.specId, n)
    if ((tally.details?.get(p.specId) ?? 0) + n > MAX_KNOWN_DETAILS) return true
  }
  return false
}

/** Add a worker's tally to the run's and group its events (after the ranges before it). */
function mergeRange(run: RangeRun, r: RangeResult, si: number, lineBase: number): void {
  const { tally } = run
  tally.totals.merge(r.totals)
  tally.filtered += r.filtered
  for (const m of r.markers) if (tally.markers.length < 1000) tally.markers.push(m)
  const hits: KnownHit[] = []
  for (const p of r.known) {
    const spec = SPEC_BY_ID.get(p.specId)!
    // the worker kept every detail (else its range is read here): fold them as one pass would
    const { key, detail } = knownKey(tally, spec.id, p.detail)
    if (p.example) p.example.line += lineBase
    let h = tally.known.get(key)
    if (!h) {
      const { specId: _, ...rest } = p
      tally.known.set(key, (h = { ...rest, detail, spec, groups: new Set() }))
    } else {
      // the same updates a single pass makes per event, with this range's first/last/example
      h.count += p.count
      if (p.first < h.first || h.first !== h.first) h.first = p.first
      if (p.last > h.last || h.last !== h.last) h.last = p.last
      for (const [m, c] of p.perMinute) h.perMinute.set(m, (h.perMinute.get(m) ?? 0) + c)
      if (!h.example?.traceId && p.example?.traceId) h.example = p.example
    }
    hits.push(h)
  }
  replay(r.log, run.grouper, si, lineBase, hits)
}

/**
 * Offsets where ranges may start, near 1/n, 2/n… of the file (the first range a little longer;
 * fewer when none is found nearby).
 * A candidate is the start of a block a single pass decodes (see LineSplitter.push: chunks of
 * CHUNK_BYTES from the file's start, cut after the first newline past SUB_BLOCK bytes) whose line
 * starts a record on its own.
 */
export function findSplits(path: string, size: number, parser: RecordParser, n: number): number[] {
  const out: number[] = []
  const fd = openSync(path, 'r')
  try {
    // the main thread's range is a little longer: a worker starts ~40 ms later, and colder
    const total = MAIN_SHARE + n - 1
    for (let k = 1; k < n; k++) {
      const target = Math.floor((size * (MAIN_SHARE + k - 1)) / total)
      const from = Math.max(out.length ? out[out.length - 1] + 1 : 0, target)
      const at = splitNear(fd, size, parser, from)
      if (at > 0) out.push(at)
    }
  } finally {
    closeSync(fd)
  }
  return out
}

function splitNear(fd: number, size: number, parser: RecordParser, from: number): number {
  const one = Buffer.alloc(1)
  for (let c = Math.floor(from / CHUNK_BYTES), stop = c + SEARCH_CHUNKS; c < stop && c * CHUNK_BYTES < size; c++) {
    const base = c * CHUNK_BYTES
    const buf = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, size - base))
    const got = readSync(fd, buf, 0, buf.length, base)
    const chunk = buf.subarray(0, got)
    // a line that began in the chunk before ends at this chunk's first newline
    const carry = base > 0 && readSync(fd, one, 0, 1, base - 1) === 1 && one[0] !== 10
    const first = chunk.indexOf(10)
    if (first < 0) continue
    const last = chunk.lastIndexOf(10)
    let start = carry ? first + 1 : 0
    for (;;) {
      if (base + start >= from && startsRecordAt(chunk, start, parser)) return base + start
      if (last - start <= SUB_BLOCK) break
      const cut = chunk.indexOf(10, start + SUB_BLOCK)
      if (cut < 0 || cut >= last) break
      start = cut + 1
    }
  }
  return -1
}

const RE_MAYBE_EXCEPTION = /^(?:Uncaught |Unhandled |Exception in thread |Traceback \(|During handling|The above exception|Caused by:)|^[\w$.]*(?:Error|Exception|Throwable)\b/

/**
 * Does the line at `at` start a record whatever the record before it was, with a timestamp of its
 * own? Both it and the line before must be clean text that is not indented (a line after an
 * indented one may close a Python traceback); it must not read as an exception or stack line, must
 * be a record start for the parser, and both the full parse and the fast path must find its time
 * (a record without one inherits the time before it).
 */
function startsRecordAt(chunk: Buffer, at: number, parser: RecordParser): boolean {
  if (at < 2 || chunk[at - 1] !== 10) return false
  // the line before must begin in this chunk
  const prevStart = chunk.lastIndexOf(10, at - 2) + 1
  if (prevStart === 0) return false
  const end = chunk.indexOf(10, at)
  if (end < 0) return false
  const prev = clean(chunk.toString('utf8', prevStart, at - 1))
  const line = clean(chunk.toString('utf8', at, end))
  if (prev === null || line === null) return false
  if (RE_MAYBE_EXCEPTION.test(line)) return false
  if (parser.strictStarts && !parser.isStart(line)) return false
  if (parser.isStartAt && (parser.scanAt ? parser.scanAt(line, 0, line.length) === -2 : !parser.isStartAt(line, 0))) return false
  if (parser.quickAt && parser.quickAt(line, 0, line.length) >= 0 && quick.ts !== quick.ts) return false
  if (parser.quick && parser.quick(line) >= 0 && quick.ts !== quick.ts) return false
  const ev = newEvent(0, 0)
  parser.parse(line, ev)
  return ev.ts === ev.ts
}

/** The line without its \r, or null when it is empty, indented, or not clean text. */
function clean(s: string): string | null {
  if (s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1)
  const c = s.charCodeAt(0)
  if (s.length === 0 || c === 32 || c === 9) return null
  if (s.includes('\uFFFD') || s.includes('\u0000')) return null
  return s
}
