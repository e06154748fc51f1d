/**
 * Timestamps at the start of a line, fast: ISO-8601 and its Python/Java cousins are read digit by
 * digit (no regex, no Date.parse) with the date part cached, the rarer shapes fall back to a few
 * compiled regexes. `leadingTime` returns epoch ms (NaN when there is none) and leaves the index
 * just past the timestamp in `timeEnd`.
 */

export let timeEnd = 0
/** The last timestamp read was syslog's `Mmm dd hh:mm:ss` (a host name follows). */
export let timeSyslog = false

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 }

let dayKey = -1
let dayUtcMs = 0
let dayLocalOffsetMs = 0

/** Midnight UTC of y-m-d (cached: consecutive lines share their day) and that day's local offset. */
function day(y: number, m: number, d: number): number {
  const key = y * 10000 + m * 100 + d
  if (key !== dayKey) {
    dayKey = key
    dayUtcMs = Date.UTC(y, m - 1, d)
    dayLocalOffsetMs = new Date(y, m - 1, d, 12).getTimezoneOffset() * 60_000
  }
  return dayUtcMs
}

function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48
  const b = s.charCodeAt(i + 1) - 48
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1
  return a * 10 + b
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

/**
 * Read `HH:MM:SS[.,:fff][zone]` at i. Returns ms since midnight with `zoneMs` set (NaN = no zone
 * given, local time), or -1. Sets timeEnd.
 */
let zoneMs = NaN
function clock(s: string, i: number): number {
  const h = d2(s, i)
  if (h < 0 || s.charCodeAt(i + 2) !== 58) return -1
  const mi = d2(s, i + 3)
  if (mi < 0) return -1
  let sec = 0
  let j = i + 5
  if (s.charCodeAt(j) === 58) {
    sec = d2(s, j + 1)
    if (sec < 0) return -1
    j += 3
  }
  let ms = 0
  const c = s.charCodeAt(j)
  if ((c === 46 || c === 44 || c === 58) && isDigit(s.charCodeAt(j + 1))) {
    // fraction: keep milliseconds, skip the rest (micro/nanoseconds)
    j++
    let scale = 100
    while (isDigit(s.charCodeAt(j))) {
      if (scale >= 1) ms += (s.charCodeAt(j) - 48) * scale
      scale /= 10
      j++
    }
    ms = Math.floor(ms)
  }
  zoneMs = NaN
  const z = s.charCodeAt(j)
  if (z === 90 /* Z */) {
    zoneMs = 0
    j++
  } else if ((z === 43 || z === 45) && isDigit(s.charCodeAt(j + 1))) {
    const zh = d2(s, j + 1)
    let k = j + 3
    if (s.charCodeAt(k) === 58) k++
    const zm = d2(s, k)
    if (zh >= 0 && zm >= 0) {
      zoneMs = (z === 43 ? 1 : -1) * (zh * 60 + zm) * 60_000
      j = k + 2
    }
  } else if (z === 32 && (s.charCodeAt(j + 1) === 43 || s.charCodeAt(j + 1) === 45) && isDigit(s.charCodeAt(j + 2))) {
    // "12:00:00 +0000" (gunicorn, Apache)
    const zh = d2(s, j + 2)
    const zm = d2(s, j + 4)
    if (zh >= 0 && zm >= 0) {
      zoneMs = (s.charCodeAt(j + 1) === 43 ? 1 : -1) * (zh * 60 + zm) * 60_000
      j += 6
    }
  } else if (z === 32 && s.startsWith('UTC', j + 1)) {
    zoneMs = 0
    j += 4
  }
  timeEnd = j
  return ((h * 60 + mi) * 60 + sec) * 1000 + ms
}

function combine(dayUtc: number, clockMs: number): number {
  return Number.isNaN(zoneMs) ? dayUtc + clockMs + dayLocalOffsetMs : dayUtc + clockMs - zoneMs
}

const RE_SYSLOG = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d\d:\d\d:\d\d)/
const RE_APACHE_ERR = /^\[?(?:[A-Z][a-z]{2} )?([A-Z][a-z]{2}) +(\d{1,2}) (\d\d:\d\d:\d\d(?:\.\d+)?) (\d{4})\]?/
const RE_CLF = /^\[?(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d\d:\d\d:\d\d)( [+-]\d{4})?\]?/
const RE_COMPACT = /^(\d{2})(\d{2})(\d{2}) (\d{2})(\d{2})(\d{2})\b/ // HDFS 081109 203615
const RE_COMPACT2 = /^(\d{4})(\d{2})(\d{2})-(\d\d?):(\d\d?):(\d\d?)(?::(\d{1,3}))?/ // 20171223-22:15:29:606, 20171223-22:16:0:119
const RE_MD = /^(\d{2})-(\d{2}) (\d\d:\d\d:\d\d(?:\.\d+)?)/ // Android 03-17 16:13:38.811
const RE_EPOCH = /^(\d{10}|\d{13})(?:\.(\d+))?\b/

// yearFor's answers, per month and day (a syslog file asks the same few days on every line)
const yearCache = new Map<number, number>()
let yearCacheAt = 0

function yearFor(month: number, dayOfMonth: number): number {
  // Syslog omits the year: this year, unless that lands more than a day in the future.
  const t = Date.now()
  if (t - yearCacheAt > 3_600_000) {
    yearCache.clear()
    yearCacheAt = t
  }
  const key = month * 32 + dayOfMonth
  const hit = yearCache.get(key)
  if (hit !== undefined) return hit
  const y = new Date(t).getFullYear()
  const out = Date.UTC(y, month, dayOfMonth) > t + 86_400_000 ? y - 1 : y
  yearCache.set(key, out)
  return out
}

// The last line asked about (record-start tests and the parse read the same line twice).
let memoLine = ''
let memoAt = -1
// a typed array slot: a double in a module variable is boxed anew on every store (one per line)
const memoTs = new Float64Array([NaN])
let memoEnd = 0
let memoSyslog = false
// Minute cache: lines of one minute share "YYYY-MM-DD HH:MM".
let minuteKey = ''
let minuteBase = NaN
let minuteZoneLess = 0

const minuteNow = { key: '', base: NaN, zone: 0 }
/**
 * The minute cache as it stands (fast-scan.ts counts lines of that minute the same way): its first
 * 16 characters (or ''), its epoch ms, and 1 when its times carry no zone, 2 when they end in Z.
 */
export function cachedMinute(): { readonly key: string; readonly base: number; readonly zone: number } {
  minuteNow.key = minuteKey
  minuteNow.base = minuteBase
  minuteNow.zone = minuteZoneLess
  return minuteNow
}

/** Epoch ms of the timestamp at position i of s (after an optional `[`), or NaN. */
export function leadingTime(s: string, i = 0): number {
  if (s === memoLine && i === memoAt) {
    timeEnd = memoEnd
    timeSyslog = memoSyslog
    return memoTs[0]
  }
  timeSyslog = false
  const t = leadingTimeUncached(s, i)
  memoLine = s
  memoAt = i
  memoTs[0] = t
  memoEnd = timeEnd
  memoSyslog = timeSyslog
  return t
}

function leadingTimeUncached(s: string, i: number): number {
  // fast: same minute as the previous ISO timestamp, no zone suffix ambiguity handled by clock()
  if (minuteKey.length === 16 && sameMinute(s, i) && s.charCodeAt(i + 16) === 58) {
    const sec = d2(s, i + 17)
    if (sec >= 0) {
      let j = i + 19
      let ms = 0
      const c = s.charCodeAt(j)
      if ((c === 46 || c === 44) && isDigit(s.charCodeAt(j + 1))) {
        j++
        let scale = 100
        while (isDigit(s.charCodeAt(j))) {
          if (scale >= 1) ms += (s.charCodeAt(j) - 48) * scale
          scale /= 10
          j++
        }
        ms = Math.floor(ms)
      }
      const z = s.charCodeAt(j)
      // only the zone-less and Z forms take the shortcut (the zone decides the base)
      if (minuteZoneLess === 1 && z !== 90 && z !== 43 && !(z === 45 && isDigit(s.charCodeAt(j + 1))) && !(z === 32 && (s.charCodeAt(j + 1) === 43 || s.charCodeAt(j + 1) === 45 || s.charCodeAt(j + 1) === 85))) {
        timeEnd = j
        return minuteBase + sec * 1000 + ms
      }
      if (minuteZoneLess === 2 && z === 90) {
        timeEnd = j + 1
        return minuteBase + sec * 1000 + ms
      }
    }
  }
  return leadingTimeSlow(s, i)
}

// The cached minute's characters, one variable each (no array bounds checks on the hot path).
let mc0 = -1, mc1 = -1, mc2 = -1, mc3 = -1, mc4 = -1, mc5 = -1, mc6 = -1, mc7 = -1
let mc8 = -1, mc9 = -1, mc10 = -1, mc11 = -1, mc12 = -1, mc13 = -1, mc14 = -1, mc15 = -1
/** Does s at i start with the cached minute? The digits that change first are compared first. */
function sameMinute(s: string, i: number): boolean {
  return (
    s.charCodeAt(i + 15) === mc15 && s.charCodeAt(i + 14) === mc14 && s.charCodeAt(i + 12) === mc12 && s.charCodeAt(i + 11) === mc11 &&
    s.charCodeAt(i + 9) === mc9 && s.charCodeAt(i + 8) === mc8 && s.charCodeAt(i + 6) === mc6 && s.charCodeAt(i + 5) === mc5 &&
    s.charCodeAt(i + 3) === mc3 && s.charCodeAt(i + 2) === mc2 && s.charCodeAt(i + 1) === mc1 && s.charCodeAt(i) === mc0 &&
    s.charCodeAt(i + 4) === mc4 && s.charCodeAt(i + 7) === mc7 && s.charCodeAt(i + 10) === mc10 && s.charCodeAt(i + 13) === mc13
  )
}

function rememberMinute(s: string, i: number, ts: number): void {
  // called after an ISO parse: cache the minute when the zone is absent or Z
  if (Number.isNaN(zoneMs)) minuteZoneLess = 1
  else if (zoneMs === 0 && s.charCodeAt(timeEnd - 1) === 90) minuteZoneLess = 2
  else {
    minuteKey = ''
    return
  }
  minuteKey = s.slice(i, i + 16)
  mc0 = s.charCodeAt(i)
  mc1 = s.charCodeAt(i + 1)
  mc2 = s.charCodeAt(i + 2)
  mc3 = s.charCodeAt(i + 3)
  mc4 = s.charCodeAt(i + 4)
  mc5 = s.charCodeAt(i + 5)
  mc6 = s.charCodeAt(i + 6)
  mc7 = s.charCodeAt(i + 7)
  mc8 = s.charCodeAt(i + 8)
  mc9 = s.charCodeAt(i + 9)
  mc10 = s.charCodeAt(i + 10)
  mc11 = s.charCodeAt(i + 11)
  mc12 = s.charCodeAt(i + 12)
  mc13 = s.charCodeAt(i + 13)
  mc14 = s.charCodeAt(i + 14)
  mc15 = s.charCodeAt(i + 15)
  const sec = d2(s, i + 17)
  minuteBase = ts - (sec > 0 ? sec : 0) * 1000 - (((ts % 1000) + 1000) % 1000)
}

function leadingTimeSlow(s: string, i: number): number {
  let bracket = false
  if (s.charCodeAt(i) === 91 /* [ */) {
    bracket = true
    i++
  }
  const c0 = s.charCodeAt(i)
  if (isDigit(c0)) {
    // YYYY-MM-DD / YYYY/MM/DD then T or space then the clock
    const sep = s.charCodeAt(i + 4)
    if ((sep === 45 || sep === 47) && s.charCodeAt(i + 7) === sep) {
      const y = d2(s, i) * 100 + d2(s, i + 2)
      const m = d2(s, i + 5)
      const d = d2(s, i + 8)
      const t = s.charCodeAt(i + 10)
      if (y > 0 && m > 0 && d > 0 && (t === 84 || t === 32 || t === 95)) {
        const c = clock(s, i + 11)
        if (c >= 0) {
          const base = day(y, m, d)
          const ts = combine(base, c)
          if (s.charCodeAt(i + 16) === 58) rememberMinute(s, i, ts)
          if (bracket && s.charCodeAt(timeEnd) === 93) timeEnd++
          return ts
        }
      }
      if (y > 0 && m > 0 && d > 0) {
        timeEnd = i + 10
        zoneMs = NaN
        return combine(day(y, m, d), 0)
      }
    }
    // HH:MM:SS.mmm alone (pino-pretty): today
    if (s.charCodeAt(i + 2) === 58) {
      const c = clock(s, i)
      if (c >= 0) {
        const now = new Date()
        const base = day(now.getFullYear(), now.getMonth() + 1, now.getDate())
        if (bracket && s.charCodeAt(timeEnd) === 93) timeEnd++
        return combine(base, c)
      }
    }
    return rareDigits(s, i, bracket)
  }
  if (c0 >= 65 && c0 <= 90) return rareWords(s, i, bracket)
  return NaN
}

function rest(s: string, i: number, m: RegExpExecArray, bracket: boolean): void {
  timeEnd = i + m[0].length
  if (bracket && s.charCodeAt(timeEnd) === 93) timeEnd++
}

function rareDigits(s: string, i: number, bracket: boolean): number {
  const sub = i === 0 ? s : s.slice(i)
  let m = RE_CLF.exec(sub)
  if (m) {
    const c = clock(m[4] + (m[5] ?? ''), 0)
    rest(s, i, m, bracket)
    return combine(day(+m[3], (MONTHS[m[2].toLowerCase()] ?? 0) + 1, +m[1]), c)
  }
  m = RE_COMPACT2.exec(sub)
  if (m) {
    rest(s, i, m, bracket)
    zoneMs = NaN
    return combine(day(+m[1], +m[2], +m[3]), ((+m[4] * 60 + +m[5]) * 60 + +m[6]) * 1000 + (m[7] ? +m[7] : 0))
  }
  m = RE_COMPACT.exec(sub)
  if (m) {
    rest(s, i, m, bracket)
    zoneMs = NaN
    return combine(day(2000 + +m[1], +m[2], +m[3]), ((+m[4] * 60 + +m[5]) * 60 + +m[6]) * 1000)
  }
  // Spark/YY: 17/06/09 20:10:40
  if (s.charCodeAt(i + 2) === 47 && s.charCodeAt(i + 5) === 47 && s.charCodeAt(i + 8) === 32) {
    const y = d2(s, i)
    const mo = d2(s, i + 3)
    const d = d2(s, i + 6)
    const c = clock(s, i + 9)
    if (y >= 0 && mo > 0 && d > 0 && c >= 0) return combine(day(2000 + y, mo, d), c)
  }
  m = RE_MD.exec(sub)
  if (m) {
    const c = clock(m[3], 0)
    rest(s, i, m, bracket)
    const mo = +m[1] - 1
    return combine(day(yearFor(mo, +m[2]), mo + 1, +m[2]), c)
  }
  m = RE_EPOCH.exec(sub)
  if (m) {
    rest(s, i, m, bracket)
    const n = +m[1]
    return m[1].length === 13 ? n : n * 1000 + (m[2] ? Math.floor(+`0.${m[2]}` * 1000) : 0)
  }
  return NaN
}

// The minute of the last syslog time ("Jun 14 15:16") and its epoch ms: lines of one minute
// skip the regexes
let sysKey = ''
let sysBase = NaN

function rareWords(s: string, i: number, bracket: boolean): number {
  // every form below starts "Mmm " (a capital, two small letters, a space): not "Traceback (…",
  // "ValueError: …" or "During handling…", which come here on every stack
  const l1 = s.charCodeAt(i + 1)
  const l2 = s.charCodeAt(i + 2)
  if (!(l1 >= 97 && l1 <= 122 && l2 >= 97 && l2 <= 122 && s.charCodeAt(i + 3) === 32)) return NaN
  if (!bracket && sysKey !== '' && s.startsWith(sysKey, i) && s.charCodeAt(i + 12) === 58 && s.charCodeAt(i + 15) === 32 && !isDigit(s.charCodeAt(i + 16))) {
    const sec = d2(s, i + 13)
    if (sec >= 0) {
      timeEnd = i + 15
      timeSyslog = true
      zoneMs = NaN
      return sysBase + sec * 1000
    }
  }
  const sub = i === 0 ? s : s.slice(i)
  let m = RE_APACHE_ERR.exec(sub)
  if (m) {
    const c = clock(m[3], 0)
    rest(s, i, m, bracket)
    return combine(day(+m[4], (MONTHS[m[1].toLowerCase()] ?? 0) + 1, +m[2]), c)
  }
  m = RE_SYSLOG.exec(sub)
  if (m) {
    const mo = MONTHS[m[1].toLowerCase()]
    if (mo === undefined) return NaN
    const c = clock(m[3], 0)
    rest(s, i, m, bracket)
    timeSyslog = !bracket
    const ts = combine(day(yearFor(mo, +m[2]), mo + 1, +m[2]), c)
    // remember the minute of a plain "Mmm dd hh:mm:ss " time (no year, no fraction after it)
    if (!bracket && m[0].length === 15 && s.charCodeAt(i + 15) === 32 && !isDigit(s.charCodeAt(i + 16))) {
      sysKey = s.slice(i, i + 12)
      sysBase = ts - d2(s, i + 13) * 1000
    } else sysKey = ''
    return ts
  }
  return NaN
}

/** A timestamp value from a structured field: ISO text, epoch seconds/ms/µs/ns (number or digits). */
export function timeValue(v: unknown): number {
  if (typeof v === 'number') return epochNumber(v)
  if (typeof v === 'string') {
    if (v.length === 0) return NaN
    const c = v.charCodeAt(0)
    if (isDigit(c) && /^\d+(\.\d+)?$/.test(v)) return epochNumber(+v)
    const t = leadingTime(v, 0)
    if (!Number.isNaN(t)) return t
    const p = Date.parse(v)
    return Number.isNaN(p) ? NaN : p
  }
  return NaN
}

function epochNumber(n: number): number {
  if (!Number.isFinite(n) || n <= 0) return NaN
  if (n < 1e11) return Math.round(n * 1000) // seconds (structlog, python-json-logger `created`)
  if (n < 1e14) return Math.round(n) // milliseconds (pino, bunyan via Date)
  if (n < 1e17) return Math.round(n / 1000) // microseconds (journald)
  return Math.round(n / 1e6) // nanoseconds (OpenTelemetry)
}
