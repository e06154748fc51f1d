/**
 * Plain-text formats. One generic parser reads "[timestamp] [header tokens] LEVEL [logger:] message"
 * — Python logging (default `LEVEL:name:msg` and asctime formats), uvicorn, gunicorn, Node and Go
 * loggers, Java/log4j, and most system logs — plus dedicated parsers for access logs (nginx/Apache
 * common and combined) and syslog (RFC 3164 and 5424).
 */
import { LEVEL, type LogEvent } from '../types.js'
import { traceFromParent } from './fields.js'
import { levelAt, levelFromText, levelWord, syslogSeverity } from './level.js'
import { httpStatusIn } from './http-status.js'
import { quick, type RecordParser } from './parser.js'
import { leadingTime, timeEnd, timeSyslog } from './time.js'

// Header scan results (module fields: no object per line).
let hTs = NaN
let hLevel = 0
let hMsg = 0
let hTag = -1

function isSep(c: number): boolean {
  // space, tab, '-', '|', ':', ','
  return c === 32 || c === 9 || c === 45 || c === 124 || c === 58 || c === 44
}

function allDigits(s: string, a: number, b: number): boolean {
  if (a >= b) return false
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

/** Scan the line's header: timestamp, then up to five tokens looking for a level word. */
function header(line: string, start = 0, end = line.length, ts = leadingTime(line, start)): void {
  hTs = ts
  let i = Number.isNaN(hTs) ? start : timeEnd
  if (hTs !== hTs) {
    const after = timeAfterPrefix(line, start, end)
    if (after >= 0) i = after
  }
  const len = end
  hTag = -1
  if (timeSyslog) {
    // syslog: "Mmm dd hh:mm:ss host tag[pid]: message": the host is not part of the message
    while (i < len && line.charCodeAt(i) === 32) i++
    while (i < len && line.charCodeAt(i) !== 32) i++
    hTag = i + 1
  }
  hLevel = 0
  hMsg = i
  let numericSoFar = true
  // past five tokens only through header-like ones (BGL: "… R02-M1-N0 2005-06-03-15.42.50 RAS KERNEL INFO")
  let headerLike = true
  for (let k = 0; (k < 5 || (headerLike && k < 10)) && i < len; k++) {
    while (i < len && isSep(line.charCodeAt(i))) i++
    const t0 = i
    while (i < len && line.charCodeAt(i) !== 32 && line.charCodeAt(i) !== 9) i++
    let a = t0
    let b = i
    // strip [ ] ( ) < > and a trailing ':'
    while (a < b && (line.charCodeAt(a) === 91 || line.charCodeAt(a) === 40 || line.charCodeAt(a) === 60)) a++
    while (b > a && (line.charCodeAt(b - 1) === 93 || line.charCodeAt(b - 1) === 41 || line.charCodeAt(b - 1) === 62 || line.charCodeAt(b - 1) === 58 || line.charCodeAt(b - 1) === 44)) b--
    // `ERROR:root:message` (Python's default format) keeps the level before the first colon
    let e = b
    if (k === 0) {
      const colon = line.indexOf(':', a)
      if (colon > a && colon < b) e = colon
    }
    if (e - a >= 3 && e - a <= 11) {
      const lv = levelAt(line, a, e)
      if (lv) {
        hLevel = lv
        hMsg = e < b ? e + 1 : i
        break
      }
    } else if (b - a === 1 && numericSoFar && k > 0) {
      // Android/logcat single letters after the pid/tid columns
      const c = line.charCodeAt(a)
      const lv = c === 69 ? LEVEL.error : c === 87 ? LEVEL.warn : c === 73 ? LEVEL.info : c === 68 ? LEVEL.debug : c === 86 ? LEVEL.trace : c === 70 ? LEVEL.fatal : 0
      if (lv) {
        hLevel = lv
        hMsg = i
        break
      }
    }
    if (!allDigits(line, a, b)) numericSoFar = false
    if (headerLike && !headerToken(line, a, b)) headerLike = false
  }
  // the message starts after separators following the level
  while (hMsg < len && isSep(line.charCodeAt(hMsg))) hMsg++
}

/** header(), with the common `<time> LEVEL message` read without its token loop (levelWordAfterTime). */
function readHeader(line: string, start: number, end: number): void {
  const ts = leadingTime(line, start)
  if (ts === ts && levelWordAfterTime(line, end)) hTs = ts
  else header(line, start, end, ts)
}

/** A token of a machine-written header: it holds a digit, or is upper case (RAS, KERNEL). */
function headerToken(s: string, a: number, b: number): boolean {
  if (b - a < 2) return false
  let upper = true
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) return true
    if (!((c >= 65 && c <= 90) || c === 95 || c === 45 || c === 46 || c === 58)) upper = false
  }
  return upper
}

/**
 * A time after a prefix some system logs put first: BGL/Thunderbird's alert tag ("-" or
 * "KERNDTLB") before epoch seconds, HPC's record number … epoch seconds, or one token (a file or
 * host name) before a date ("nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 …").
 * Sets hTs and returns where the time ends, or -1.
 */
function timeAfterPrefix(line: string, start: number, end: number): number {
  const at = afterAlertTag(line, start, end)
  if (at > 0) return timeAt(line, at)
  const ep = epochAfterRecordId(line, start, end)
  if (ep > 0) {
    hTs = epochSeconds * 1000
    return ep
  }
  const sp = line.indexOf(' ', start)
  if (sp <= start || sp - start > 80 || sp + 1 >= end) return -1
  const c = line.charCodeAt(sp + 1)
  const d = line.charCodeAt(sp + 5)
  // a date (2017-05-16, 2017/05/16) or a bracketed time; never a bare number (an id)
  if (!((c >= 48 && c <= 57 && (d === 45 || d === 47)) || c === 91)) return -1
  return timeAt(line, sp + 1)
}

/** The time at `at`: sets hTs and returns where it ends, or -1. */
function timeAt(line: string, at: number): number {
  const t = leadingTime(line, at)
  if (t !== t) return -1
  hTs = t
  return timeEnd
}

let epochSeconds = 0
/**
 * A line that starts with a number (a record id) and has a token of epoch seconds (2000–2040)
 * among its next five: where that token ends, with its value in `epochSeconds`; else -1.
 */
function epochAfterRecordId(line: string, start: number, end: number): number {
  let i = start
  let c = line.charCodeAt(i)
  if (c < 48 || c > 57) return -1
  while (i < end && line.charCodeAt(i) !== 32) {
    c = line.charCodeAt(i)
    if (c < 48 || c > 57) return -1
    i++
  }
  for (let k = 0; k < 5 && i < end; k++) {
    while (i < end && line.charCodeAt(i) === 32) i++
    const a = i
    let digits = true
    while (i < end && line.charCodeAt(i) !== 32) {
      c = line.charCodeAt(i)
      if (c < 48 || c > 57) digits = false
      i++
    }
    if (digits && i - a === 10) {
      const v = +line.slice(a, i)
      if (v >= 946_684_800 && v < 2_208_988_800) {
        epochSeconds = v
        return i
      }
    }
  }
  return -1
}

/** Where epoch digits start after a leading alert tag ("- 1131566461", "APPREAD 1117869872"), or -1. */
function afterAlertTag(line: string, start: number, end: number): number {
  let i = start
  const c = line.charCodeAt(i)
  if (c === 45) i++
  else {
    while (i < end && i - start < 16) {
      const d = line.charCodeAt(i)
      if (!((d >= 65 && d <= 90) || d === 95)) break
      i++
    }
    if (i - start < 2) return -1
  }
  if (line.charCodeAt(i) !== 32) return -1
  i++
  // ten digits (epoch seconds) then a space
  for (let k = 0; k < 10; k++) {
    const d = line.charCodeAt(i + k)
    if (d < 48 || d > 57) return -1
  }
  return line.charCodeAt(i + 10) === 32 ? i : -1
}

const RE_TRACE =
  /(?:trace[_-]?id|request[_-]?id|req[_-]?id|correlation[_-]?id|x-correlation-id|x-request-id|traceparent)["']?\s*[=:]\s*["']?([\w.:-]{4,})|\b(req-[0-9a-f-]{8,36})\b/i
const RE_COMPONENT = /^[A-Za-z_][\w.$/-]*(?:\([^)\s]*\))?(?:\[[^\]\s]*\])?(?:@\w+)?:(?=\s)/
const RE_NOT_COMPONENT = /(?:Error|Exception|Warning|Traceback|Caused by)$/

/**
 * Content start of a plain message: past leading bracketed groups (threads, nested brackets
 * included), `-` separators, and one `component:` token.
 */
const RE_NAME_THEN_BRACKET = /^[A-Za-z_][\w$-]*(?:\.[\w$-]+)+ (?=\[)/

export function contentStart(m: string): number {
  let i = 0
  const len = m.length
  // "nova.api.server [req-… - - -] content": a component name right before a bracketed group
  const nb = RE_NAME_THEN_BRACKET.exec(m)
  if (nb) i = nb[0].length
  for (let guard = 0; guard < 4 && i < len; guard++) {
    const c = m.charCodeAt(i)
    if (c === 91 /* [ */) {
      let depth = 0
      let j = i
      for (; j < len && j < i + 300; j++) {
        const d = m.charCodeAt(j)
        if (d === 91) depth++
        else if (d === 93 && --depth === 0) break
      }
      if (depth !== 0 || j >= len) break
      i = j + 1
    } else if (c === 45 /* - */ && m.charCodeAt(i + 1) === 32) i += 1
    else if (c === 32 || c === 9) i++
    else break
    while (i < len && (m.charCodeAt(i) === 32 || m.charCodeAt(i) === 9)) i++
  }
  const comp = RE_COMPONENT.exec(i === 0 ? m : m.slice(i, i + 200))
  if (comp && !RE_NOT_COMPONENT.test(comp[0].slice(0, -1))) {
    i += comp[0].length
    while (i < len && m.charCodeAt(i) === 32) i++
  }
  return i < len ? i : 0
}

const RE_TAG = /^([A-Za-z_][\w.-]*)(?:\([^)]*\))?(?:\[\d+\])?:/

/** Request/trace ID written as `request_id=…`, `traceId: …`, `[req-…]`, `traceparent=00-…`. */
export function findTraceId(s: string): string {
  const m = RE_TRACE.exec(s)
  if (!m) return ''
  const v = m[1] ?? m[2]
  return v.startsWith('00-') ? traceFromParent(v) : v
}

const RE_START_PLAIN = /^(?:\[?\d{2,4}[-/:]?\d{2}|\[?\d{6} |\[?[A-Z][a-z]{2} [ \d]?\d |\[?(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|CRITICAL|FATAL|SEVERE)\b|<\d{1,3}>)/

export const plainParser: RecordParser = {
  name: 'plain',
  httpStatus: 'request-line',
  strictStarts: false,
  matches: (line) => RE_START_PLAIN.test(line),
  isStart: (line) => RE_START_PLAIN.test(line),
  parse(line: string, ev: LogEvent): boolean {
    readHeader(line, 0, line.length)
    if (!Number.isNaN(hTs)) ev.ts = hTs
    ev.message = hMsg > 0 ? line.slice(hMsg) : line
    ev.contentStart = contentStart(ev.message)
    ev.level = hLevel || levelFromText(ev.message)
    if (hTag >= 0) {
      // the syslog tag names the service: "sshd[24200]:" → sshd
      const m = RE_TAG.exec(line.slice(hTag, hTag + 80))
      if (m) ev.service = m[1]
    }
    ev.traceId = findTraceId(line)
    // a request line inside the message (uvicorn, gunicorn): read as the fast path reads it
    const status = httpStatusIn(line, 0, line.length)
    if (status) ev.status = status
    return true
  },
  quick(line: string): number {
    readHeader(line, 0, line.length)
    quick.ts = hTs
    quick.msg = hMsg
    return hLevel || -1
  },
  quickAt(text: string, start: number, end: number): number {
    readHeader(text, start, end)
    quick.ts = hTs
    quick.msg = hMsg
    return hLevel || -1
  },
}

/** A plain parser whose sample showed a timestamp on nearly every record start. */
export const timestampedParser: RecordParser = {
  ...plainParser,
  name: 'timestamped',
  strictStarts: true,
  matches: (line) => !Number.isNaN(leadingTime(line, 0)),
  isStart: (line) => timestampedStartAt(line, 0),
  isStartAt: timestampedStartAt,
  scanAt(text: string, start: number, end: number): number {
    const c = text.charCodeAt(start)
    if (!((c >= 48 && c <= 57) || c === 91 || (c >= 65 && c <= 90))) return -2
    const ts = leadingTime(text, start)
    if (ts !== ts) return -2
    if (levelWordAfterTime(text, end)) {
      // the time straight to the slot: a store to the module's hTs would box it, once per line
      quick.ts = ts
      quick.msg = hMsg
      return hLevel
    }
    header(text, start, end, ts)
    quick.ts = hTs
    quick.msg = hMsg
    return hLevel || -1
  },
}

/**
 * header()'s answer, without its token loop, for the common shape `<time> LEVEL message`: one
 * space after the timestamp just read (timeEnd), an upper-case level word, a space. False when the
 * line has another shape (then header() reads it). Sets the level, message start and tag; the
 * time is the caller's (hTs is left as it was).
 */
function levelWordAfterTime(line: string, end: number): boolean {
  const p = timeEnd
  if (timeSyslog || line.charCodeAt(p) !== 32) return false
  const a = p + 1
  let q = a
  while (q < end) {
    const c = line.charCodeAt(q)
    if (c < 65 || c > 90) break
    q++
  }
  if (q - a < 3 || q - a > 11 || q >= end || line.charCodeAt(q) !== 32) return false
  const lv = levelAt(line, a, q)
  if (lv === 0) return false
  hTag = -1
  hLevel = lv
  while (q < end && isSep(line.charCodeAt(q))) q++
  hMsg = q
  return true
}

function timestampedStartAt(text: string, start: number): boolean {
  const c = text.charCodeAt(start)
  // cheap first: a digit, '[' or an upper-case month name
  if (!((c >= 48 && c <= 57) || c === 91 || (c >= 65 && c <= 90))) return false
  return !Number.isNaN(leadingTime(text, start))
}

// nginx/Apache common and combined, with an optional trailing request time and extra fields.
const RE_ACCESS = /^(\S+) \S+ (\S+) \[([^\]]+)\] "(?:([A-Z]{3,10}) (\S+)(?: [^"]*)?|[^"]*)" (\d{3}) (\d+|-)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?(.*)$/
const RE_RT = /(?:^|\s)(?:rt=|request_time=|urt="?)?(\d+\.\d{1,6})"?(?:\s|$)/

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout',
  409: 'Conflict', 413: 'Payload Too Large', 422: 'Unprocessable Entity', 429: 'Rate Limited', 499: 'Client Closed Request',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
}

export const accessParser: RecordParser = {
  name: 'access',
  strictStarts: true,
  matches: (line) => RE_ACCESS.test(line),
  isStart: (line) => line.indexOf('] "') > 0,
  parse(line: string, ev: LogEvent): boolean {
    const m = RE_ACCESS.exec(line)
    if (!m) return plainParser.parse(line, ev)
    ev.ts = leadingTime(m[3], 0)
    const status = +m[6]
    ev.status = status
    ev.level = status >= 500 ? LEVEL.error : status >= 400 ? LEVEL.warn : LEVEL.info
    const path = m[5] ? m[5].split('?', 1)[0] : ''
    // the reason phrase keeps "GET /x 502" and "GET /x 200" apart once numbers are masked
    const reason = REASONS[status] ?? (status >= 500 ? 'Server Error' : status >= 400 ? 'Client Error' : status >= 300 ? 'Redirect' : 'OK')
    ev.message = m[4] ? `${m[4]} ${path} ${status} ${reason}` : `${status} ${reason}`
    const tail = m[10]
    if (tail) {
      const rt = RE_RT.exec(tail)
      if (rt) ev.durationMs = parseFloat(rt[1]) * 1000
      ev.traceId = findTraceId(tail)
    }
    return true
  },
}

const RE_3164 = /^(?:<(\d{1,3})>)?([A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)?) (\S+) ([^\s:[]+)(?:\[(\d+)\])?: ?(.*)$/
const RE_5424 = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+) ?(.*)$/

export const syslogParser: RecordParser = {
  name: 'syslog',
  strictStarts: true,
  matches: (line) => RE_3164.test(line) || RE_5424.test(line),
  isStart: (line) => {
    const c = line.charCodeAt(0)
    return c === 60 || (c >= 65 && c <= 90 && line.charCodeAt(3) === 32)
  },
  parse(line: string, ev: LogEvent): boolean {
    let m = RE_3164.exec(line)
    let pri = -1
    if (m) {
      if (m[1]) pri = +m[1]
      ev.ts = leadingTime(m[2], 0)
      ev.service = m[4]
      ev.message = m[6]
    } else if ((m = RE_5424.exec(line))) {
      pri = +m[1]
      ev.ts = leadingTime(m[2], 0)
      ev.service = m[4] === '-' ? '' : m[4]
      ev.message = m[8]
    } else return plainParser.parse(line, ev)
    // a level word at the start of the message wins over the PRI (apps log "ERROR ..." through syslog)
    const sp = ev.message.indexOf(' ')
    const lw = levelWord((sp > 0 ? ev.message.slice(0, sp) : ev.message).replace(/^\[|[\]:]$/g, ''))
    ev.level = lw || (pri >= 0 ? syslogSeverity(pri & 7) : levelFromText(ev.message))
    ev.traceId = findTraceId(ev.message)
    return true
  },
}
