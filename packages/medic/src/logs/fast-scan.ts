/**
 * The block fast path's commonest lines counted in WebAssembly (assembly/scan.ts, built to
 * dist/logs-scan.wasm): runs of "YYYY-MM-DD HH:MM:SS,mmm LEVEL message" lines of the timestamped
 * format in the minute the JavaScript side parsed last, or of JSON lines in the layout json.ts
 * learned (level key first, time key next), below the grouping level, with no needle or marker that
 * needs a closer look. It reads 16 bytes at a time and needs no warm-up; it stops at the first line
 * it cannot vouch for, which scan.ts then reads as before. Without the module (not built, or no
 * SIMD) everything is read in JavaScript, with the same result.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { levelAt } from './parse/level.js'
import type { RecordParser } from './parse/parser.js'
import { cachedMinute } from './parse/time.js'

// Node has WebAssembly; the DOM library that types it is not in this project's lib
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> }
}
interface Exports {
  memory: { buffer: ArrayBuffer }
  scan(from: number, len: number, json: number): number
  init(): void
  needles(len: number, longest: number): number
}

// the module's memory layout (assembly/scan.ts)
const SETTINGS = 0
const RESULTS = 256
const WORDS = 4096
const JSON_LEVEL_KEY = 8192
const JSON_TIME_KEY = 8256
const JSON_MSG_TAIL = 8320
const JSON_LEVELS = 8448
const INPUT = 65536
const NEEDLE_TABLE = 5 << 20
const NEEDLE_MASKS = NEEDLE_TABLE + (640 << 10)
const NEEDLE_TEXT = NEEDLE_MASKS + (8 << 10)

/** Upper-case level words the timestamped format writes (levelAt gives each its level). */
const LEVEL_WORDS = ['INFO', 'INFORMATION', 'INF', 'DEBUG', 'DBG', 'DPANIC', 'WARN', 'WARNING', 'WRN', 'ERROR', 'ERR', 'EMERG', 'EMERGENCY', 'TRACE', 'FATAL', 'CRITICAL', 'CRIT', 'NOTICE', 'SEVERE', 'ALERT', 'PANIC', 'VERBOSE']

/**
 * What one call counted: lines read, per level slot, filtered out by time, the first and last time
 * kept, the time of the last line read, and the request lines kept per status class (2xx … 5xx).
 */
export interface RunCounts {
  lines: number
  slots: Int32Array
  filtered: number
  first: number
  last: number
  lastRead: number
  http: Int32Array
}

export type JsonLayout = NonNullable<RecordParser['jsonLayout']>

export interface FastScanner {
  /** Read JSON lines of this layout from now on (null: timestamped lines). False when it cannot. */
  useJson(layout: JsonLayout | null): boolean
  /**
   * Take a block's bytes (ASCII: byte offsets are the text's offsets) and the pass's grouping level
   * and time range; false when the block does not fit.
   */
  load(bytes: Uint8Array, groupLevel: number, since: number, until: number): boolean
  /**
   * Count from the line at `from` while lines qualify; returns the offset to go on from (the
   * first line not counted) with the counts in `run` (`run.lines` 0: nothing counted).
   */
  scan(from: number): number
  readonly run: RunCounts
  /** Lines counted here so far (all passes of this thread). */
  readonly counted: number
}

let instance: FastScanner | null | undefined
let wasmExports: Exports | null = null

/** The module's file: beside the bundle (dist/), or dist/ seen from dist/logs/ or src/logs/. */
function wasmFile(): string | null {
  for (const rel of ['logs-scan.wasm', '../logs-scan.wasm', '../../dist/logs-scan.wasm']) {
    const p = fileURLToPath(new URL(rel, import.meta.url))
    if (existsSync(p)) return p
  }
  return null
}

/** The scanner, or null when the module is not there (or this Node cannot run it). */
export function fastScanner(): FastScanner | null {
  if (instance !== undefined) return instance
  instance = null
  const file = wasmFile()
  if (file === null) return null
  try {
    const mod = new WebAssembly.Module(readFileSync(file))
    const inst = new WebAssembly.Instance(mod, { env: { abort: () => {} } })
    wasmExports = inst.exports as unknown as Exports
    instance = wrap(wasmExports)
  } catch {
    // no SIMD here, or a damaged file: JavaScript reads everything
  }
  return instance
}

function wrap(ex: Exports): FastScanner {
  ex.init()
  const mem = new Uint8Array(ex.memory.buffer)
  const i32 = new Int32Array(ex.memory.buffer)
  const f64 = new Float64Array(ex.memory.buffer)
  // the level words, as levelAt reads them
  let n = 0
  for (const w of LEVEL_WORDS) {
    const level = levelAt(w, 0, w.length)
    if (level === 0 || level > 255) continue
    const at = WORDS + n * 16
    mem[at] = w.length
    mem[at + 1] = level
    for (let i = 0; i < w.length; i++) mem[at + 2 + i] = w.charCodeAt(i)
    n++
  }
  i32[(SETTINGS + 48) >> 2] = n
  // room for a block and the 16 bytes a vector load may read past its end
  const room = NEEDLE_TABLE - INPUT - 64
  let len = 0
  let key = ''
  const run: RunCounts = { lines: 0, slots: new Int32Array(7), filtered: 0, first: NaN, last: NaN, lastRead: NaN, http: new Int32Array(4) }
  let counted = 0
  let json: JsonLayout | null = null
  const putKey = (at: number, k: string): boolean => {
    if (k.length > 60 || /[^\x20-\x7e]/.test(k)) return false
    mem[at] = k.length
    for (let i = 0; i < k.length; i++) mem[at + 1 + i] = k.charCodeAt(i)
    return true
  }
  return {
    run,
    get counted() {
      return counted
    },
    useJson(layout) {
      if (layout === json) return true
      json = null
      if (layout === null) return true
      if (!putKey(JSON_LEVEL_KEY, layout.levelKey) || !putKey(JSON_TIME_KEY, layout.timeKey) || !putKey(JSON_MSG_TAIL, layout.msgTail)) return false
      for (let n = 0; n < 100; n++) {
        const level = layout.levelOf(n)
        mem[JSON_LEVELS + n] = level > 0 && level < 256 ? level : 0
      }
      json = layout
      return true
    },
    load(bytes, groupLevel, since, until) {
      if (bytes.length > room) return false
      mem.set(bytes, INPUT)
      // the bytes after the block are never counted, but a vector load may read them: no newline
      mem.fill(0, INPUT + bytes.length, INPUT + bytes.length + 32)
      len = bytes.length
      i32[(SETTINGS + 28) >> 2] = groupLevel
      f64[(SETTINGS + 32) >> 3] = since
      f64[(SETTINGS + 40) >> 3] = until
      return true
    },
    scan(from) {
      if (json !== null) return counts(ex.scan(from, len, 1))
      const m = cachedMinute()
      // (a minute that does not start on a whole minute of epoch time would straddle two)
      if (m.key.length !== 16 || (m.zone !== 1 && m.zone !== 2) || m.base % 60_000 !== 0) {
        run.lines = 0
        return from
      }
      if (m.key !== key) {
        key = m.key
        for (let i = 0; i < 16; i++) mem[SETTINGS + i] = key.charCodeAt(i)
        f64[(SETTINGS + 16) >> 3] = m.base
        i32[(SETTINGS + 24) >> 2] = m.zone
      }
      return counts(ex.scan(from, len, 0))
    },
  }

  // the counts of the call that returned `next`
  function counts(next: number): number {
    const lines = i32[(RESULTS + 56) >> 2]
    run.lines = lines
    if (lines > 0) {
      counted += lines
      const r = RESULTS >> 2
      for (let k = 0; k < 7; k++) run.slots[k] = i32[r + k]
      run.filtered = i32[r + 7]
      run.first = f64[(RESULTS + 32) >> 3]
      run.last = f64[(RESULTS + 40) >> 3]
      run.lastRead = f64[(RESULTS + 48) >> 3]
      for (let k = 0; k < 4; k++) run.http[k] = i32[r + 15 + k]
    }
    return next
  }
}

/**
 * The known-error automaton of known-errors.ts run in WebAssembly (assembly/scan.ts needles): its
 * table and masks copied in once; each text is written there as UTF-8 (bytes of 128 or more
 * restart it as a non-ASCII character does in JavaScript) and read as two halves at once. Null
 * when the module is not there or the table does not fit; texts too long for its room answer null.
 */
export function wasmAutomaton(step: Int32Array, masks: Int32Array, longest: number): ((text: string) => number | null) | null {
  if (fastScanner() === null || wasmExports === null) return null
  const ex = wasmExports
  if (step.length * 4 > NEEDLE_MASKS - NEEDLE_TABLE || masks.length * 4 > NEEDLE_TEXT - NEEDLE_MASKS) return null
  new Int32Array(ex.memory.buffer, NEEDLE_TABLE, step.length).set(step)
  new Int32Array(ex.memory.buffer, NEEDLE_MASKS, masks.length).set(masks)
  const room = ex.memory.buffer.byteLength - NEEDLE_TEXT
  const text = new Uint8Array(ex.memory.buffer, NEEDLE_TEXT, room)
  const utf8 = new TextEncoder()
  // (a UTF-16 unit is at most 3 bytes of UTF-8)
  return (s: string) => (s.length * 3 > room ? null : ex.needles(utf8.encodeInto(s, text).written, longest))
}
