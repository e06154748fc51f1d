/**
 * Lines → records. A record is a first line plus its continuation lines: indented lines, Python
 * traceback lines (including chained "During handling of the above exception…" blocks and the
 * final `ValueError: …` line), Java "Caused by:" lines, an exception header logged right after an
 * error line, and — for formats whose records always start with a timestamp — any line that does
 * not start one. Everything else starts a new record, so single-line logs stay one event per line.
 */
import { LEVEL } from './types.js'
import { levelFromText } from './parse/level.js'
import type { RecordParser } from './parse/parser.js'

const MAX_CONTINUATION = 2000
const RE_EXC_HEADER = /^(?:Uncaught |Unhandled )?(?:Exception in thread "[^"]*" )?(?:[\w$]+\.)*[\w$]*(?:Error|Exception|Throwable)\b(?:\s*\[\w+\])?(?::|$)/

export type RecordSink = (first: string, rest: string[] | null, line: number) => void

/** Lines in, records out (to the sink given at construction). */
export interface Assembler {
  push(line: string, lineNo: number): void
  /**
   * End the record being assembled: the one of line `at`'s stream (a record start the caller
   * counts itself is at `at`), or every one when `at` is not given.
   */
  flush(at?: number): void
}

export class RecordAssembler implements Assembler {
  private first: string | null = null
  private rest: string[] | null = null
  private line = 0
  private level = -2
  private inPyTraceback = false
  private lastIndented = false
  private blanks = 0

  constructor(
    private readonly parser: RecordParser,
    private readonly sink: RecordSink,
  ) {}

  private pendingLevel(): number {
    if (this.level === -2) {
      const q = this.parser.quick?.(this.first!) ?? -1
      this.level = q >= 0 ? q : levelFromText(this.first!)
    }
    return this.level
  }

  private add(line: string, indented: boolean): void {
    if (this.rest === null) this.rest = []
    while (this.blanks > 0) {
      this.rest.push('')
      this.blanks--
    }
    this.rest.push(line)
    this.lastIndented = indented
  }

  private start(line: string, lineNo: number): void {
    this.flush()
    this.first = line
    this.line = lineNo
    this.level = -2
    this.inPyTraceback = line.startsWith('Traceback (most recent call last)')
    this.lastIndented = false
  }

  push(line: string, lineNo: number): void {
    const len = line.length
    if (len === 0) {
      if (this.rest !== null) this.blanks++
      return
    }
    if (this.first === null) return this.start(line, lineNo)
    const full = this.rest !== null && this.rest.length >= MAX_CONTINUATION
    const c = line.charCodeAt(0)
    if (c === 32 || c === 9) {
      if (!full) return this.add(line, true)
      return this.start(line, lineNo)
    }
    if (!full && this.continues(line, c)) return
    this.start(line, lineNo)
  }

  /** Decide whether a non-indented line continues the pending record (and add it if so). */
  private continues(line: string, c: number): boolean {
    const rest = this.rest
    const strict = this.parser.strictStarts
    // a line that starts a record of a strict format starts one, whatever it says
    if (strict && this.parser.isStart(line)) return false
    if (c === 84 /* T */ && line.startsWith('Traceback (most recent call last)')) {
      const chained = rest !== null && this.blanksOrChainMarker()
      if (chained || (rest === null && this.pendingLevel() >= LEVEL.error)) {
        this.add(line, false)
        this.inPyTraceback = true
        return true
      }
      return false
    }
    if (rest !== null || this.inPyTraceback) {
      if (c === 68 /* D */ && line.startsWith('During handling of the above exception')) return this.addTrue(line)
      if (c === 84 /* T */ && line.startsWith('The above exception was the direct cause')) return this.addTrue(line)
      if (c === 67 /* C */ && line.startsWith('Caused by:')) return this.addTrue(line)
      if (this.inPyTraceback && this.lastIndented) {
        // the exception line closing a traceback
        this.add(line, false)
        this.inPyTraceback = false
        return true
      }
    }
    // a line whose head has the shape of the record's timestamp is a record whose time did not
    // parse ("20171223-22:16:0:119" after "20171223-22:15:59:865"), not a continuation
    if (strict) return sameHeadShape(line, this.first!) ? false : this.addTrue(line)
    if (rest === null && RE_EXC_HEADER.test(line) && this.pendingLevel() >= LEVEL.error && !RE_EXC_HEADER.test(this.first!)) {
      return this.addTrue(line)
    }
    return false
  }

  private addTrue(line: string): boolean {
    this.add(line, false)
    return true
  }

  private blanksOrChainMarker(): boolean {
    const r = this.rest!
    const last = r[r.length - 1] ?? ''
    return last.startsWith('During handling of the above exception') || last.startsWith('The above exception was the direct cause')
  }

  /** The line the record being assembled starts at; Infinity when none is. */
  get openLine(): number {
    return this.first === null ? Infinity : this.line
  }

  flush(): void {
    if (this.first === null) return
    const first = this.first
    const rest = this.rest
    this.first = null
    this.rest = null
    this.blanks = 0
    this.inPyTraceback = false
    this.sink(first, rest, this.line)
  }
}

/** Do the first ten characters of a and b agree: a digit where the other has one, else the same character? */
function sameHeadShape(a: string, b: string): boolean {
  if (a.length < 10 || b.length < 10) return false
  for (let i = 0; i < 10; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    const dx = x >= 48 && x <= 57
    const dy = y >= 48 && y <= 57
    if (dx !== dy || (!dx && x !== y)) return false
  }
  return true
}

/** A record of an instance open this many lines back is closed (its app went quiet meanwhile). */
const MAX_OPEN_LINES = 4096

/**
 * Lines of several app instances interleaved in one stream (`docker compose logs`, `kubectl logs
 * --prefix`): one RecordAssembler per instance, so a traceback split by another app's lines is
 * still one record, and records go out in the order their first lines came in (a record finished
 * waits for the ones that started before it). `instanceOf`: the instance of a line, by number.
 */
export class InterleavedAssembler implements Assembler {
  private readonly byInstance = new Map<string, RecordAssembler>()
  /** Finished records waiting for an earlier one still open, by first line. */
  private held: { first: string; rest: string[] | null; line: number }[] = []
  private pushes = 0

  constructor(
    private readonly parser: RecordParser,
    private readonly sink: RecordSink,
    private readonly instanceOf: (lineNo: number) => string,
  ) {}

  push(line: string, lineNo: number): void {
    this.of(lineNo).push(line, lineNo)
    if ((++this.pushes & 255) === 0) this.closeStale(lineNo)
  }

  flush(at?: number): void {
    if (at !== undefined) this.of(at).flush()
    else for (const a of this.byInstance.values()) a.flush()
  }

  // the last instance looked up (lines of one app come in runs)
  private lastKey = ''
  private last: RecordAssembler | null = null

  private of(lineNo: number): RecordAssembler {
    const key = this.instanceOf(lineNo)
    if (key === this.lastKey && this.last !== null) return this.last
    let a = this.byInstance.get(key)
    if (a === undefined) this.byInstance.set(key, (a = new RecordAssembler(this.parser, (f, r, l) => this.finished(f, r, l))))
    this.lastKey = key
    this.last = a
    return a
  }

  private finished(first: string, rest: string[] | null, line: number): void {
    const h = this.held
    // mostly in order already: insert from the back
    let i = h.length
    while (i > 0 && h[i - 1].line > line) i--
    h.splice(i, 0, { first, rest, line })
    let open = Infinity
    for (const a of this.byInstance.values()) if (a.openLine < open) open = a.openLine
    let k = 0
    while (k < h.length && h[k].line < open) k++
    if (k === 0) return
    for (const r of h.splice(0, k)) this.sink(r.first, r.rest, r.line)
  }

  private closeStale(lineNo: number): void {
    for (const a of this.byInstance.values()) if (lineNo - a.openLine > MAX_OPEN_LINES) a.flush()
  }
}
