/** One record format: detection, record starts (for multi-line records), a full parse and a fast path. */
import type { LogEvent } from '../types.js'

export interface RecordParser {
  name: string
  /** Does this line look like this format (detection sample)? */
  matches(line: string): boolean
  /**
   * Does this line begin a record? Only consulted when `strictStarts` is set: then a line that does
   * not begin a record belongs to the one before it (a multi-line message or a stack).
   */
  isStart(line: string): boolean
  strictStarts: boolean
  /** Fill `ev` from the record's first line; false when the line is not of this format. */
  parse(line: string, ev: LogEvent): boolean
  /**
   * Fast path for counting: the line's level without a full parse (its time left in `quick.ts`),
   * or -1 when only a full parse can tell.
   */
  quick?(line: string): number
  /**
   * Block fast path: the same as `quick` for the line text[start..end) of a decoded chunk, without
   * slicing it out. Only for formats where `isStartAt` alone decides record starts.
   */
  quickAt?(text: string, start: number, end: number, above?: number): number
  /** `isStart` at an offset of a chunk; present when every start line begins a new record. */
  isStartAt?(text: string, start: number): boolean
  /**
   * isStartAt and quickAt in one: -2 not a record start, -1 a start that needs a full parse, else
   * the level. `above` (both): a level at or above it is all the caller reads (`quick` may be left
   * unset then).
   */
  scanAt?(text: string, start: number, end: number, above?: number): number
  /**
   * Where a record of this format carries an HTTP status the fast path must not drop: in a
   * request line (`"GET /x HTTP/1.1" 503`, read by the fast path itself), or under a status key
   * (JSON `"status…"`, logfmt `status=`: such a record takes the full parse).
   */
  httpStatus?: StatusPlace
  /**
   * JSON lines: the key names the fast path learned (level as written `"level":`, time `"time":`,
   * the message key's tail `msg":"` or '') and the level of a number under the level key, for the
   * WebAssembly scanner (fast-scan.ts) to read the same way.
   */
  jsonLayout?: { levelKey: string; timeKey: string; msgTail: string; levelOf(n: number): number }
}

export type StatusPlace = 'request-line' | 'json' | 'logfmt'

/** Output slot of `RecordParser.quick` (a module field avoids an object per line). */
/** `msg`: where the message starts in the line, -1 when the fast path could not tell. */
export const quick = { ts: NaN, msg: -1 }

export function newEvent(source: number, line: number): LogEvent {
  return { ts: NaN, level: 0, service: '', message: '', traceId: '', status: 0, durationMs: NaN, raw: '', source, line, stack: '', contentStart: 0 }
}
