/**
 * The pipeline: sources → lines → records → events → filter → group → aggregate. Streaming, one
 * pass, bounded memory (groups and per-minute counters, never the events). The pass per source is
 * scan.ts; a big regular file is read in ranges on several cores (parallel.ts) with the same result.
 */
import { Grouper, GroupStats, Totals } from './aggregate.js'
import { defaultJobs, PARALLEL_MIN_BYTES, scanInRanges } from './parallel.js'
import { scanSource, tieKnown, type GroupSink, type KnownHit, type Marker, type ScanSettings, type ScanTally, type SourceReport } from './scan.js'
import { readChunks, resolveSources, type ResolvedSource } from './sources.js'
import { emptyProblems, LEVEL, type LogEvent, type SourceSpec } from './types.js'
import { basename } from 'node:path'
import type { Readable } from 'node:stream'

export { holdsIdWord, type KnownHit, type Marker, type SourceReport } from './scan.js'

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
  /**
   * Threads for one big file (default: the machine's cores; 1 reads every source in one pass).
   * Used for regular files of at least `parallelMinBytes` when events need not stream in order.
   */
  jobs?: number
  /** Smallest file read in ranges side by side (default PARALLEL_MIN_BYTES). */
  parallelMinBytes?: number
  /** Count the commonest timestamped and JSON lines in WebAssembly when it is built (default true; fast-scan.ts). */
  wasmScan?: boolean
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

export async function analyze(o: AnalyzeOptions): Promise<Analysis> {
  const startedAt = Date.now()
  const t0 = performance.now()
  const resolved = await resolveSources(o.sources, o.cwd)
  const totalBytes = resolved.reduce((n, s) => n + s.size, 0)
  const grouper = new Grouper(o.similarity)
  const tally: ScanTally = { totals: new Totals(), known: new Map<string, KnownHit>(), markers: [], filtered: 0 }
  const reports: SourceReport[] = []
  const settings: ScanSettings = {
    since: o.since ?? -Infinity,
    until: o.until ?? Infinity,
    groupLevel: o.groupLevel ?? LEVEL.warn,
    service: o.service,
    traceId: o.traceId,
    groupAll: o.groupAll,
    follow: o.follow,
    fastOK: !o.groupAll && !o.onEvent && !o.service && !o.traceId,
    wasmScan: o.wasmScan,
    onEvent: o.onEvent,
  }
  const sink: GroupSink = (ev, hit) => {
    const g = grouper.assign(ev)
    g.add(ev)
    if (hit) tieKnown(hit, g)
    return g
  }
  const jobs = Math.max(1, Math.floor(o.jobs ?? defaultJobs()))
  // ranges side by side only where the result cannot tell: a whole regular file, events not
  // streamed in order to a caller
  const inRanges = (src: ResolvedSource) =>
    jobs > 1 && src.kind === 'file' && !src.gzip && !src.error && src.size >= (o.parallelMinBytes ?? PARALLEL_MIN_BYTES) && !o.follow && !o.fromEnd && !o.tailBytes && !o.signal && !o.groupAll && !o.onEvent && !o.traceId
  let bytesSoFar = 0
  let linesSoFar = 0

  // Sources are read one after another; with --follow all at once (each stays open).
  const processSource = async (si: number): Promise<void> => {
    const src = resolved[si]
    const report: SourceReport = { name: src.name, kind: src.kind, format: src.format ?? 'auto', bytes: 0, lines: 0, records: 0, problems: emptyProblems() }
    reports[si] = report
    const defaultService = src.service ?? (src.kind === 'file' ? basename(src.path!).replace(/(\.\d+)?(\.gz)?$/, '').replace(/\.(log|txt|json|jsonl|out|err)$/, '') : src.kind === 'stdin' ? 'stdin' : '')
    const format = src.format ?? o.format
    if (inRanges(src)) {
      const onBytes = (n: number, lines: number) => {
        bytesSoFar += n
        o.onProgress?.({ bytes: bytesSoFar, totalBytes, lines: linesSoFar + lines, source: src.name })
      }
      if (await scanInRanges({ settings, tally, grouper, sink, format, onBytes }, src, si, report, defaultService, jobs)) {
        linesSoFar += report.lines
        return
      }
    }
    const scan = scanSource(settings, tally, si, report, defaultService, sink, { format })
    for await (const chunk of readChunks(src, report.problems, {
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
      scan.push(chunk)
      if (o.follow) scan.settle()
      if (o.onProgress) o.onProgress({ bytes: bytesSoFar, totalBytes, lines: linesSoFar + scan.lines, source: src.name })
      if (o.signal?.aborted) break
    }
    scan.end()
    linesSoFar += report.lines
  }
  if (o.follow) await Promise.all(resolved.map((_, si) => processSource(si)))
  else {
    // Commands last: one that runs until its deadline (`docker logs -f`) must not leave the files
    // beside it unread when time runs out. Reports keep the order the sources were given in.
    const order = resolved.map((_, si) => si)
    for (const si of order) if (resolved[si].kind !== 'command') await processSource(si)
    for (const si of order) if (resolved[si].kind === 'command') await processSource(si)
  }

  tally.totals.finish()
  const { groups, idOfRef } = grouper.finish()
  return {
    sources: reports,
    totals: tally.totals,
    groups,
    idOfRef,
    known: [...tally.known.values()],
    markers: tally.markers,
    filtered: tally.filtered,
    startedAt,
    durationMs: Math.round(performance.now() - t0),
  }
}
