/**
 * JSON lines (pino, bunyan, winston, structlog, python-json-logger, ECS, OpenTelemetry, journald,
 * docker json-file). The fast path reads the level and time with indexOf on the key names this
 * source was seen to use, so an info line costs no JSON.parse.
 */
import type { LogEvent } from '../types.js'
import { LEVEL_KEYS, MESSAGE_KEYS, TIME_KEYS, fromFields, get } from './fields.js'
import { levelValue, levelWord } from './level.js'
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

  return {
    name: 'json',
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
    quick: levelNeedle
      ? (line: string): number => {
          const i = line.indexOf(levelNeedle)
          if (i < 0 || line.charCodeAt(0) !== 123) return -1
          let j = i + levelNeedle.length
          while (line.charCodeAt(j) === 32) j++
          let level: number
          const c = line.charCodeAt(j)
          if (c === 34) {
            const e = line.indexOf('"', j + 1)
            level = levelWord(line.slice(j + 1, e))
            if (level === 0) level = levelValue(line.slice(j + 1, e), levelKey)
          } else {
            let e = j
            while (line.charCodeAt(e) >= 48 && line.charCodeAt(e) <= 57) e++
            level = levelValue(+line.slice(j, e), levelKey)
          }
          quick.ts = NaN
          if (msgNeedle) {
            const m = line.indexOf(msgNeedle)
            quick.msg = m < 0 ? -1 : m + msgNeedle.length
          } else quick.msg = -1
          if (timeNeedle) {
            const k = line.indexOf(timeNeedle)
            if (k >= 0) {
              let p = k + timeNeedle.length
              while (line.charCodeAt(p) === 32) p++
              if (line.charCodeAt(p) === 34) quick.ts = leadingTime(line, p + 1)
              else {
                let e = p
                while (e < line.length && line.charCodeAt(e) !== 44 && line.charCodeAt(e) !== 125) e++
                quick.ts = timeValue(+line.slice(p, e))
              }
            }
          }
          return level
        }
      : undefined,
  }
}
