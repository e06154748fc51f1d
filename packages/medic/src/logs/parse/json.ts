/**
 * JSON lines (pino, bunyan, winston, structlog, python-json-logger, ECS, OpenTelemetry, journald,
 * docker json-file). The fast path reads the level and time with indexOf on the key names this
 * source was seen to use, so an info line costs no JSON.parse.
 */
import type { LogEvent } from '../types.js'
import { LEVEL_KEYS, MESSAGE_KEYS, TIME_KEYS, fromFields, get } from './fields.js'
import { levelAt, levelValue } from './level.js'
import { plainParser } from './plain.js'
import { quick, type RecordParser } from './parser.js'
import { leadingTime, timeValue } from './time.js'

export function jsonParser(sample: string[] = []): RecordParser {
  // Learn this source's level and time keys from the sample (top-level keys only: nested ones take the slow path).
  let levelNeedle = ''
  let levelKey = ''
  let timeNeedle = ''
  let msgNeedle = ''
  for (const line of sample) {
    if (line.charCodeAt(0) !== 123) continue
    let o: Record<string, unknown>
    try {
      o = JSON.parse(line)
    } catch {
      continue
    }
    if (!levelNeedle) {
      for (const k of LEVEL_KEYS) if (k in o && (typeof o[k] === 'string' || typeof o[k] === 'number')) ((levelNeedle = `"${k}":`), (levelKey = k))
    }
    if (!timeNeedle) for (const k of TIME_KEYS) if (k in o && (typeof o[k] === 'string' || typeof o[k] === 'number')) timeNeedle = `"${k}":`
    if (!msgNeedle) for (const k of MESSAGE_KEYS) if (typeof o[k] === 'string') msgNeedle = `"${k}":"`
    if (levelNeedle && timeNeedle && msgNeedle) break
  }

  const msgTail = msgNeedle.slice(1)
  const levelCodes = codesOf(levelNeedle)
  const timeCodes = codesOf(timeNeedle)

  /** Level and time of the line text[start..end) by indexOf on the learned key names. */
  function quickAt(text: string, start: number, end: number, above = Infinity): number {
    if (text.charCodeAt(start) !== 123) return -1
    // loggers write their keys in a fixed order: try the level as the first key before searching
    const i = startsAt(text, start + 1, levelCodes) ? start + 1 : text.indexOf(levelNeedle, start)
    if (i < 0 || i >= end) return -1
    let j = i + levelNeedle.length
    while (text.charCodeAt(j) === 32) j++
    let level: number
    let after: number
    const c = text.charCodeAt(j)
    if (c === 34) {
      const e = text.indexOf('"', j + 1)
      if (e < 0 || e >= end) return -1
      level = levelAt(text, j + 1, e)
      if (level === 0) level = levelValue(text.slice(j + 1, e), levelKey)
      after = e + 1
    } else {
      let e = j
      let n = 0
      for (let d = text.charCodeAt(e); d >= 48 && d <= 57; d = text.charCodeAt(++e)) n = n * 10 + d - 48
      if (e === j) return -1
      level = levelValue(n, levelKey)
      after = e
    }
    if (level === 0) return -1
    quick.ts = NaN
    quick.msg = -1
    // (a record the caller parses in full: its message and time are read there)
    if (level >= above) return level
    if (msgNeedle) {
      // the first `"msg":"` = the first `msg":"` with a quote before it; a search led by the key's first
      // letter skips far fewer false starts than one led by `"`, which JSON is full of
      let m = text.indexOf(msgTail, start + 1)
      while (m >= 0 && m < end && text.charCodeAt(m - 1) !== 34) m = text.indexOf(msgTail, m + 1)
      if (m >= 0 && m < end) quick.msg = m + msgTail.length
    }
    if (timeNeedle) {
      // the time key usually follows the level (pino: {"level":30,"time":…})
      const k = text.charCodeAt(after) === 44 && startsAt(text, after + 1, timeCodes) ? after + 1 : text.indexOf(timeNeedle, start)
      if (k >= 0 && k < end) {
        let p = k + timeNeedle.length
        while (text.charCodeAt(p) === 32) p++
        if (text.charCodeAt(p) === 34) quick.ts = leadingTime(text, p + 1)
        else {
          let n = 0
          let e = p
          for (let d = text.charCodeAt(e); d >= 48 && d <= 57; d = text.charCodeAt(++e)) n = n * 10 + d - 48
          if (text.charCodeAt(e) === 46) {
            let q = e + 1
            while (text.charCodeAt(q) >= 48 && text.charCodeAt(q) <= 57) q++
            quick.ts = timeValue(+text.slice(p, q))
          } else quick.ts = e > p ? timeValue(n) : NaN
        }
      }
    }
    return level
  }

  return {
    name: 'json',
    httpStatus: 'json',
    strictStarts: false,
    matches: (line) => line.charCodeAt(0) === 123 && line.charCodeAt(line.length - 1) === 125,
    isStart: (line) => line.charCodeAt(0) === 123,
    parse(line: string, ev: LogEvent): boolean {
      if (line.charCodeAt(0) !== 123) return plainParser.parse(line, ev)
      let o: unknown
      try {
        o = JSON.parse(line)
      } catch {
        return plainParser.parse(line, ev)
      }
      if (!o || typeof o !== 'object' || Array.isArray(o)) return plainParser.parse(line, ev)
      const rec = o as Record<string, unknown>
      fromFields(rec, ev)
      // docker json-file: {"log":"<the app's own line>\n","stream":"stderr","time":"..."}
      if (typeof rec.log === 'string' && get(rec, 'msg') === undefined && get(rec, 'message') === undefined) {
        const inner = rec.log.replace(/\r?\n$/, '')
        const ts = ev.ts
        if (inner.charCodeAt(0) === 123) this.parse(inner, ev)
        else plainParser.parse(inner, ev)
        if (Number.isNaN(ev.ts)) ev.ts = ts
      }
      return true
    },
    quick: levelNeedle ? (line: string): number => quickAt(line, 0, line.length) : undefined,
    quickAt: levelNeedle ? quickAt : undefined,
    // a '{' line always starts a record (never indented, never a stack phrase)
    isStartAt: (text: string, start: number) => text.charCodeAt(start) === 123,
    scanAt: levelNeedle ? (text: string, start: number, end: number, above?: number) => (text.charCodeAt(start) === 123 ? quickAt(text, start, end, above) : -2) : undefined,
    jsonLayout: levelNeedle && timeNeedle ? { levelKey: levelNeedle, timeKey: timeNeedle, msgTail: msgNeedle ? msgTail : '', levelOf: (n: number) => levelValue(n, levelKey) } : undefined,
  }
}

function codesOf(s: string): Int32Array {
  const out = new Int32Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
  return out
}

/** text.startsWith(needle, at) for a needle given by its char codes: a short loop beats the builtin's call. */
function startsAt(text: string, at: number, codes: Int32Array): boolean {
  for (let k = 0; k < codes.length; k++) if (text.charCodeAt(at + k) !== codes[k]) return false
  return true
}
