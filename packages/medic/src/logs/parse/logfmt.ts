/** logfmt (`time=... level=error msg="..." request_id=...`), as written by Go, Heroku and many Node loggers. */
import type { LogEvent } from '../types.js'
import { fromFields } from './fields.js'
import { levelWord } from './level.js'
import { quick, type RecordParser } from './parser.js'
import { plainParser } from './plain.js'
import { leadingTime } from './time.js'

/** Parse `k=v k2="v 2"` pairs. Bare keys get `true`. Null when fewer than two pairs. */
export function parseLogfmt(line: string): Record<string, string | boolean> | null {
  const out: Record<string, string | boolean> = {}
  let n = 0
  let i = 0
  const len = line.length
  while (i < len) {
    while (i < len && line.charCodeAt(i) === 32) i++
    if (i >= len) break
    const ks = i
    while (i < len) {
      const c = line.charCodeAt(i)
      if (c === 61 || c === 32) break
      i++
    }
    const key = line.slice(ks, i)
    if (line.charCodeAt(i) !== 61) {
      if (key) out[key] = true
      continue
    }
    i++
    let value: string
    if (line.charCodeAt(i) === 34) {
      i++
      let s = ''
      let start = i
      while (i < len && line.charCodeAt(i) !== 34) {
        if (line.charCodeAt(i) === 92 && i + 1 < len) {
          s += line.slice(start, i)
          const e = line[i + 1]
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e
          i += 2
          start = i
          continue
        }
        i++
      }
      value = s + line.slice(start, i)
      i++
    } else {
      const vs = i
      while (i < len && line.charCodeAt(i) !== 32) i++
      value = line.slice(vs, i)
    }
    if (key) {
      out[key] = value
      n++
    }
  }
  return n >= 2 ? out : null
}

const RE_START = /^[A-Za-z_@][\w.@-]*=("[^"]*"|\S*) [A-Za-z_@][\w.@-]*=/

export const logfmtParser: RecordParser = {
  name: 'logfmt',
  httpStatus: 'logfmt',
  strictStarts: false,
  matches: (line) => RE_START.test(line),
  isStart: (line) => RE_START.test(line),
  parse(line: string, ev: LogEvent): boolean {
    const o = parseLogfmt(line)
    if (!o) return plainParser.parse(line, ev)
    fromFields(o, ev)
    return true
  },
  quick(line: string): number {
    let i = line.startsWith('level=') ? 0 : line.indexOf(' level=')
    if (i < 0) return -1
    i += i === 0 ? 6 : 7
    if (line.charCodeAt(i) === 34) i++
    let e = i
    while (e < line.length && line.charCodeAt(e) !== 32 && line.charCodeAt(e) !== 34) e++
    const level = levelWord(line.slice(i, e))
    if (!level) return -1
    quick.ts = NaN
    const mi = line.indexOf(' msg=')
    quick.msg = mi < 0 ? -1 : line.charCodeAt(mi + 5) === 34 ? mi + 6 : mi + 5
    let t = -1
    if (line.startsWith('time=')) t = 5
    else if (line.startsWith('ts=')) t = 3
    else {
      const a = line.indexOf(' time=')
      if (a >= 0) t = a + 6
      else {
        const b = line.indexOf(' ts=')
        if (b >= 0) t = b + 4
      }
    }
    if (t >= 0) {
      if (line.charCodeAt(t) === 34) t++
      quick.ts = leadingTime(line, t)
    }
    return level
  },
}
