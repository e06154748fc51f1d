/**
 * Bytes → lines, in big chunks: each chunk is decoded once and split with indexOf; only the tail
 * after the last newline is carried over. Bad input is counted, never fatal: lines with NUL or
 * other binary bytes are skipped, invalid UTF-8 is decoded with U+FFFD and counted, and a line
 * longer than `maxLineBytes` is cut (its head kept) instead of being buffered without bound.
 */
import { isAscii } from 'node:buffer'
import type { InputProblems } from './types.js'

export const MAX_LINE_BYTES = 1 << 20
const KEEP_OF_LONG_LINE = 64 * 1024
/** Chunks are decoded in blocks of about this size, cut after a newline (see push). */
export const SUB_BLOCK = 64 * 1024

export type LineSink = (line: string) => void
/**
 * Takes a decoded block of whole lines (no trailing newline; may contain \r\n) and returns how
 * many lines it held, or -1 to have the splitter feed them one by one instead. `bytes`: the block's
 * bytes when it is ASCII (each byte is the character at the same offset), else null.
 */
export type BlockSink = (text: string, bytes: Uint8Array | null) => number

export class LineSplitter {
  private carry: Buffer[] = []
  private carryLen = 0
  private skipping = false
  lines = 0

  /** When set, clean blocks go here whole (the caller scans lines by offset). */
  block: BlockSink | null = null

  constructor(
    private readonly problems: InputProblems,
    private readonly sink: LineSink,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0
    const first = chunk.indexOf(10)
    if (first < 0) {
      this.hold(chunk)
      return
    }
    // the line that began in an earlier chunk
    if (this.carryLen > 0 || this.skipping) {
      const head = chunk.subarray(0, first)
      if (this.skipping) {
        this.emitBytes(Buffer.concat(this.carry), true)
      } else {
        this.carry.push(head)
        this.carryLen += head.length
        if (this.carryLen > this.maxLineBytes) this.emitBytes(Buffer.concat(this.carry).subarray(0, KEEP_OF_LONG_LINE), true)
        else this.emitBytes(Buffer.concat(this.carry), false)
      }
      this.carry = []
      this.carryLen = 0
      this.skipping = false
      start = first + 1
    }
    const last = chunk.lastIndexOf(10)
    // decode in pieces of about SUB_BLOCK bytes (cut at newlines): strings that small are made in
    // the young generation and die there, where a 1 MiB one lands in old space and costs mark-compacts
    while (last - start > SUB_BLOCK) {
      const cut = chunk.indexOf(10, start + SUB_BLOCK)
      if (cut < 0 || cut >= last) break
      this.emitBlock(chunk, start, cut)
      start = cut + 1
    }
    if (last >= start) this.emitBlock(chunk, start, last)
    if (last + 1 < chunk.length) this.hold(chunk.subarray(last + 1))
  }

  end(): void {
    if (this.carryLen > 0 || this.skipping) {
      const buf = Buffer.concat(this.carry)
      this.emitBytes(this.skipping || buf.length > this.maxLineBytes ? buf.subarray(0, KEEP_OF_LONG_LINE) : buf, this.skipping || buf.length > this.maxLineBytes)
    }
    this.carry = []
    this.carryLen = 0
    this.skipping = false
  }

  private hold(part: Buffer): void {
    if (this.skipping) return
    if (this.carryLen + part.length > this.maxLineBytes) {
      // keep the head of an over-long line, drop the rest until its newline
      const room = Math.max(0, KEEP_OF_LONG_LINE - this.carryLen)
      if (room > 0) this.carry.push(Buffer.from(part.subarray(0, room)))
      this.carryLen += Math.min(room, part.length)
      this.skipping = true
      return
    }
    // copy: the chunk may be a view into a pooled buffer
    this.carry.push(Buffer.from(part))
    this.carryLen += part.length
  }

  private emitBytes(buf: Buffer, oversized: boolean): void {
    if (oversized) this.problems.oversizedLines++
    const s = buf.toString('utf8')
    const bad = s.includes('\uFFFD')
    const nul = s.includes('\u0000')
    // a line carried over between chunks goes the same way as the block around it
    if (!bad && !nul && this.block !== null && s.indexOf('\n') < 0) {
      const n = this.block(s, null)
      if (n >= 0) {
        this.lines += n
        return
      }
    }
    this.emitString(s, bad, nul)
  }

  /** Lines of chunk[start..end) where end is a newline. */
  private emitBlock(chunk: Buffer, start: number, end: number): void {
    // ASCII (most logs) decodes as latin1, a plain copy; anything else as UTF-8
    const ascii = isAscii(chunk.subarray(start, end))
    const text = chunk.toString(ascii ? 'latin1' : 'utf8', start, end)
    const bad = !ascii && text.includes('\uFFFD')
    const nul = text.includes('\u0000')
    let i = 0
    const sink = this.sink
    if (!bad && !nul && this.block !== null) {
      const n = this.block(text, ascii ? chunk.subarray(start, end) : null)
      if (n >= 0) {
        this.lines += n
        return
      }
    }
    if (!bad && !nul) {
      // hot path
      for (;;) {
        const j = text.indexOf('\n', i)
        const e = j < 0 ? text.length : j
        this.lines++
        if (e > i && text.charCodeAt(e - 1) === 13) sink(text.slice(i, e - 1))
        else sink(text.slice(i, e))
        if (j < 0) break
        i = j + 1
      }
      return
    }
    for (;;) {
      const j = text.indexOf('\n', i)
      const e = j < 0 ? text.length : j
      this.emitString(text.slice(i, e), bad, nul)
      if (j < 0) break
      i = j + 1
    }
  }

  private emitString(s: string, maybeBad: boolean, maybeNul: boolean): void {
    this.lines++
    if (s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1)
    if (maybeNul && isBinary(s)) {
      this.problems.binaryLines++
      return
    }
    if (maybeBad && s.includes('\uFFFD')) {
      this.problems.invalidUtf8Lines++
      // a line that is mostly replacement characters is binary, not text
      if (countOf(s, '\uFFFD') * 4 > s.length) {
        this.problems.binaryLines++
        return
      }
    }
    this.sink(s)
  }
}

function countOf(s: string, ch: string): number {
  let n = 0
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++
  return n
}

function isBinary(s: string): boolean {
  if (s.includes('\u0000')) return true
  let ctrl = 0
  for (let i = 0; i < s.length && i < 512; i++) {
    const c = s.charCodeAt(i)
    if (c < 32 && c !== 9 && c !== 27) ctrl++
  }
  return ctrl > 8
}
