/**
 * Worker entry (its own small bundle, dist/logs-worker.js): scans one byte range of a big log file
 * with the parser the main thread detected, and posts back its tally and the grouping inputs of
 * its events (see parallel.ts). Grouping itself stays on the main thread.
 */
import { parentPort } from 'node:worker_threads'
import { Totals } from './aggregate.js'
import { GroupLog, type GroupLogData } from './group-log.js'
import { parserNamed, readRange, scanSource, type KnownHit, type Marker, type ScanSettings, type ScanTally, type SourceReport } from './scan.js'
import { emptyProblems } from './types.js'

export interface RangeJob {
  path: string
  start: number
  end: number
  si: number
  defaultService: string
  /** The detected parser's name and the sample it was detected from. */
  format: string
  sample: string[]
  settings: Omit<ScanSettings, 'onEvent'>
}

/** A known hit as posted: its signature by id, no groups yet (those come with the replay). */
export type PostedHit = Omit<KnownHit, 'spec' | 'groups'> & { specId: string }

export interface RangeResult {
  report: SourceReport
  /** Lines handed to records in the range (event line numbers are relative to its start). */
  lineCount: number
  totals: Totals
  known: PostedHit[]
  markers: Marker[]
  filtered: number
  log: GroupLogData
  /** Distinct masked messages in the log. */
  templateKeys: number
}

export function scanRange(job: RangeJob): RangeResult {
  const tally: ScanTally = { totals: new Totals(), known: new Map(), markers: [], filtered: 0 }
  const report: SourceReport = { name: job.path, kind: 'file', format: job.format, bytes: 0, lines: 0, records: 0, problems: emptyProblems() }
  const log = new GroupLog()
  const scan = scanSource(job.settings, tally, job.si, report, job.defaultService, log.sink, { parser: parserNamed(job.format, job.sample), sample: job.sample })
  readRange(job.path, job.start, job.end, (chunk) => {
    report.bytes += chunk.length
    scan.push(chunk)
  })
  scan.end()
  const hits = [...tally.known.values()]
  const hitIndex = new Map(hits.map((h, i) => [h, i]))
  return {
    report,
    lineCount: scan.lineNo,
    totals: tally.totals,
    known: hits.map(({ spec, groups: _, ...h }) => ({ ...h, specId: spec.id })),
    markers: tally.markers,
    filtered: tally.filtered,
    log: log.data(hitIndex),
    templateKeys: log.templateKeys,
  }
}

const port = parentPort
if (port) {
  port.once('message', (job: RangeJob) => {
    try {
      const r = scanRange(job)
      const l = r.log
      port.postMessage({ ok: r }, [l.key, l.ts, l.level, l.service, l.line, l.trace, l.known, l.example].map((a) => a.buffer as ArrayBuffer))
    } catch (err) {
      port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) })
    }
    port.close()
  })
}
