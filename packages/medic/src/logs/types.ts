/** Shapes shared by the log pipeline: sources → lines → records → events → groups → report. */

/** Numeric levels, pino-style, so comparisons are cheap. 0 = the line carried no level. */
export const LEVEL = { none: 0, trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const
export type LevelName = keyof typeof LEVEL

export function levelName(n: number): LevelName {
  if (n >= 60) return 'fatal'
  if (n >= 50) return 'error'
  if (n >= 40) return 'warn'
  if (n >= 30) return 'info'
  if (n >= 20) return 'debug'
  if (n >= 10) return 'trace'
  return 'none'
}

/** Where events come from: a file or glob, a command's output, or stdin (`-`). */
export interface SourceSpec {
  file?: string
  command?: string
  stdin?: boolean
  /** Record format override (`json`, `logfmt`, `python`, `access`, `syslog`, `plain`...). */
  format?: string
  /** Service name for events that carry none. */
  service?: string
}

/** An exception found in a record: its type, message and the frames (innermost last, as printed). */
export interface ExceptionInfo {
  type: string
  message: string
  frames: Frame[]
  /** Types of the exceptions chained before it ("During handling…", "Caused by:"). */
  chain: string[]
}

export interface Frame {
  file: string
  func: string
  line?: number
  /** Library or runtime frame (site-packages, node_modules, node:internal, the JDK). */
  library: boolean
}

/** One log event: a record (one line, or several for a stack trace) parsed. */
export interface LogEvent {
  /** Epoch ms; NaN when the record had no timestamp and none could be inherited. */
  ts: number
  level: number
  service: string
  message: string
  traceId: string
  status: number
  durationMs: number
  /** The record as read (all its lines joined by \n). */
  raw: string
  /** Index of the source in the run, and the record's first line number (1-based) in it. */
  source: number
  line: number
  /** Stack text carried by the record (continuation lines or a JSON `stack` field). */
  stack: string
  /**
   * Where the content starts in `message` for grouping: after a thread in brackets and a
   * `component:` prefix (Hadoop `[main] o.a.h.MRAppMaster: …`, syslog `sshd[42]: …`).
   */
  contentStart: number
  exception?: ExceptionInfo
}

/** Bad input met while reading a source: counted and reported, never fatal. */
export interface InputProblems {
  binaryLines: number
  invalidUtf8Lines: number
  oversizedLines: number
  truncatedGzip: boolean
  /**
   * A command still running when its time ran out (`docker logs -f`, `kubectl logs -f`): it was
   * stopped after this many ms and what it had written is analysed. Not an error.
   */
  cutAfterMs?: number
  /** The source could not be opened or read (missing, unreadable, command failed). */
  error?: string
}

export function emptyProblems(): InputProblems {
  return { binaryLines: 0, invalidUtf8Lines: 0, oversizedLines: 0, truncatedGzip: false }
}
