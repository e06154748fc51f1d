/**
 * Exceptions inside a record's stack text: Python tracebacks (chained ones too), Node and Java
 * stack traces ("Caused by:"). The group signature is the exception type (with its chain) plus the
 * top in-app frames — file and function, never line numbers; library and runtime frames
 * (site-packages, node_modules, node:internal, the JDK...) are set aside.
 */
import { createHash } from 'node:crypto'
import { detached } from './detach.js'
import type { ExceptionInfo, Frame } from './types.js'

const RE_PY_FRAME = /^\s+File "([^"]+)", line (\d+)(?:, in (.+))?/
const RE_PY_EXC = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/
const RE_JS_FRAME = /^\s+at (?:async )?(?:(.+?) \()?((?:node:|file:\/\/)?[^():\s]+(?::[^():\s]+)*?):(\d+)(?::\d+)?\)?$/
const RE_JS_FRAME_NOLOC = /^\s+at (?:async )?(.+?) \((native|<anonymous>|index \d+)\)$/
const RE_JAVA_FRAME = /^\s+at ([\w$.<>/-]+)\.([\w$<>-]+)\(([^)]*)\)/
const RE_HEADER = /^(?:Uncaught )?(?:Exception in thread "[^"]*" )?((?:[\w$]+\.)*[\w$]*(?:Error|Exception|Throwable|Fault|Failure|Panic|Exit|Interrupt|Warning|Rejection)|Error|[A-Z][\w$]*(?:\.[A-Z][\w$]*)*)(?:\s*\[[\w]+\])?(?::\s?(.*))?$/

const PY_LIB = /[/\\](?:site-packages|dist-packages)[/\\]|[/\\]lib[/\\]python\d|^<frozen |^<string>|^<stdin>/
const JS_LIB = /node_modules[/\\]|^node:|^internal[/\\]|^<anonymous>$|^native$/
const JAVA_LIB = /^(?:java|javax|jdk|sun|com\.sun|kotlin|kotlinx|scala|groovy|org\.springframework|org\.apache|io\.netty|org\.hibernate|com\.zaxxer|reactor|org\.eclipse|org\.junit|com\.fasterxml|io\.micronaut|io\.quarkus|org\.glassfish|okhttp3|retrofit2)\./

/** Does this line open a stack (a traceback header or an exception line followed by frames)? */
export function isExceptionHeader(line: string): boolean {
  return line.startsWith('Traceback (most recent call last)') || (mayBeHeader(line) && RE_HEADER.test(line) && /Error|Exception|Throwable|Exception in thread/.test(line))
}

/**
 * RE_HEADER's cheap gate: its type is the line's leading run of word characters, `$` and dots, and
 * what follows it must be the end, white space, `[` or `:` (after "Uncaught " or "Exception in
 * thread", anything goes). A timestamp's "2026-" or "12/" fails here, as every log line's start does.
 */
function mayBeHeader(line: string): boolean {
  let i = 0
  for (;;) {
    const c = line.charCodeAt(i)
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c === 46)) break
    i++
  }
  const c = line.charCodeAt(i)
  // (a date's separators and a time's comma or dot-free digits: never a header)
  return !(c === 45 || c === 47 || c === 44)
}

/** The last two segments of a path: stable across checkouts (/app/api/x.py vs /home/me/api/x.py). */
export function shortPathUncached(p: string): string {
  const parts = p.replace(/^file:\/\//, '').split(/[/\\]/)
  return parts.slice(-2).join('/')
}

/**
 * `f` with its answers remembered per text (bounded: emptied when full; `f` never answers
 * undefined). The key kept is a copy, and `f` reads that copy, so nothing it returns is cut from
 * the caller's text (see detach.ts).
 */
function remembered<T>(max: number, f: (text: string) => T): { get(text: string): T; readonly size: number } {
  const seen = new Map<string, T>()
  return {
    get(text) {
      let v = seen.get(text)
      if (v === undefined) {
        const own = detached(text)
        v = f(own)
        if (seen.size >= max) seen.clear()
        seen.set(own, v)
      }
      return v
    },
    get size() {
      return seen.size
    },
  }
}

// Every grouped exception labels its top frames, and the same few files recur.
export const SHORT_PATH_CACHE_MAX = 2048
const shortPaths = remembered(SHORT_PATH_CACHE_MAX, shortPathUncached)
export const shortPath = (p: string): string => shortPaths.get(p)
/** Paths remembered now (for tests). */
export const shortPathCacheSize = (): number => shortPaths.size

/** Parse the stack text of a record; undefined when it holds no recognisable exception. */
export function parseException(stack: string): ExceptionInfo | undefined {
  if (stack.length > 200_000) stack = stack.slice(0, 200_000)
  const lines = stack.split('\n')
  if (stack.includes('Traceback (most recent call last)')) return parsePython(lines)
  return parseJsJava(lines)
}

/** The line without a final \r. */
const noCR = (s: string): string => (s.charCodeAt(s.length - 1) === 13 ? s.slice(0, -1) : s)

// The same code paths fail again and again: each frame line (Python, Node, Java) is read once.
// Frames are never changed once made, so events share them.
export const FRAME_LINE_CACHE_MAX = 4096
const pyFrames = remembered(FRAME_LINE_CACHE_MAX, (line): Frame | null => {
  const m = RE_PY_FRAME.exec(line)
  return m ? { file: m[1], func: m[3] ?? '?', line: +m[2], library: PY_LIB.test(m[1]) } : null
})
/** Python frame lines remembered now (for tests). */
export const pyFrameCacheSize = (): number => pyFrames.size

function parsePython(lines: string[]): ExceptionInfo | undefined {
  const blocks: ExceptionInfo[] = []
  let frames: Frame[] | null = null
  for (const raw of lines) {
    const line = noCR(raw)
    if (line.startsWith('Traceback (most recent call last)')) {
      frames = []
      continue
    }
    if (frames === null) continue
    // (RE_PY_FRAME needs `File "` after leading white space)
    const f = line.indexOf('File "') > 0 ? pyFrames.get(line) : null
    if (f) {
      frames.push(f)
      continue
    }
    if (line.length === 0 || line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9) continue
    const m = RE_PY_EXC.exec(line) ?? /^([\w.]+): (.*)$/.exec(line)
    if (m && frames.length >= 0) {
      blocks.push({ type: m[1], message: (m[2] ?? '').trim(), frames, chain: [] })
      frames = null
    }
  }
  if (blocks.length === 0) return undefined
  const last = blocks[blocks.length - 1]
  last.chain = blocks.slice(0, -1).map((b) => b.type)
  // Python prints the innermost call last; keep frames innermost-first for "top" frames.
  last.frames = last.frames.slice().reverse()
  return last
}

/** A Java "... 12 more" line: no frame, nothing else either. */
const OMITTED: Frame = { file: '', func: '', library: true }
const stackLines = remembered(FRAME_LINE_CACHE_MAX, stackLineUncached)

/** The frame a Node or Java stack line names, OMITTED for "... N more", else null. */
function stackLine(line: string): Frame | null {
  // every form starts with white space (an ASCII character that is not one: none of them)
  const c0 = line.charCodeAt(0)
  if (c0 < 128 && c0 !== 32 && c0 !== 9 && !(c0 >= 10 && c0 <= 13)) return null
  return stackLines.get(line)
}

/** Node and Java stack lines remembered now (for tests). */
export const stackLineCacheSize = (): number => stackLines.size

function stackLineUncached(line: string): Frame | null {
  const j = RE_JAVA_FRAME.exec(line)
  if (j && !/\.(?:js|mjs|cjs|ts):\d+/.test(j[3])) return { file: j[1], func: j[2], line: +(/:(\d+)/.exec(j[3])?.[1] ?? 0) || undefined, library: JAVA_LIB.test(j[1] + '.') }
  const n = RE_JS_FRAME.exec(line)
  if (n) return { file: n[2], func: n[1] ?? '<anonymous>', line: +n[3], library: JS_LIB.test(n[2]) }
  const n2 = RE_JS_FRAME_NOLOC.exec(line)
  if (n2) return { file: n2[2], func: n2[1], library: true }
  if (/^\s+\.\.\. \d+ (?:more|common frames omitted)/.test(line)) return OMITTED
  return null
}

function parseJsJava(lines: string[]): ExceptionInfo | undefined {
  const excs: ExceptionInfo[] = []
  let cur: ExceptionInfo | null = null
  for (const raw of lines) {
    const line = noCR(raw)
    if (cur) {
      const f = stackLine(line)
      if (f === OMITTED) continue
      if (f !== null) {
        cur.frames.push(f)
        continue
      }
    }
    const trimmed = line.replace(/^\s*(?:Caused by:|\[cause\]:)\s*/, '')
    const isCause = trimmed !== line && trimmed.length > 0
    if (isCause || !cur || cur.frames.length > 0 || excs.length === 0) {
      const h = RE_HEADER.exec(trimmed)
      if (h && (isCause || /Error|Exception|Throwable|Rejection|Panic/.test(h[1]) || excs.length === 0)) {
        if (!isCause && cur && cur.frames.length === 0 && excs.length > 0) continue
        cur = { type: h[1], message: (h[2] ?? '').trim(), frames: [], chain: [] }
        excs.push(cur)
      }
    }
  }
  const withFrames = excs.filter((e) => e.frames.length > 0 || /Error|Exception|Throwable/.test(e.type))
  if (withFrames.length === 0) return undefined
  const outer = withFrames[0]
  outer.chain = withFrames.slice(1).map((e) => e.type)
  if (outer.frames.length === 0) {
    // Java prints "... N more" for the outer frames it shares with the cause: use the cause's frames.
    const withF = withFrames.find((e) => e.frames.length > 0)
    if (withF) outer.frames = withF.frames
  }
  return outer
}

/** The top (innermost) in-app frames; library frames only when there is no app frame at all. */
export function topFrames(e: ExceptionInfo, n = 3): Frame[] {
  const app = e.frames.filter((f) => !f.library)
  return (app.length > 0 ? app : e.frames).slice(0, n)
}

export function frameLabel(f: Frame): string {
  return `${shortPath(f.file)}:${f.func}`
}

/** Stable signature: type, chained types, top in-app frames (file:function, no line numbers). */
export function exceptionSignature(e: ExceptionInfo): string {
  return ['exc', e.type, ...e.chain, ...topFrames(e).map(frameLabel)].join('|')
}

/** A short stable id from a signature. */
export function groupId(signature: string): string {
  return createHash('sha1').update(signature).digest('hex').slice(0, 10)
}
