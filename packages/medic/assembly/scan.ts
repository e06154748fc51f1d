// AssemblyScript, compiled to dist/logs-scan.wasm (npm run build): the block fast path for the
// commonest lines, 16 bytes at a time. Timestamped lines "YYYY-MM-DD HH:MM:SS,mmm LEVEL message" in
// the minute the JavaScript side last parsed (with the status of a request line in them), and JSON
// lines in the layout json.ts learned (level key first with a number, time key next in
// milliseconds), below the grouping level, without a needle or marker that needs a closer look. It
// counts such lines and stops at the first line it cannot vouch for, which the JavaScript side
// then reads as before (src/logs/fast-scan.ts). Every rule here is a copy of one in
// src/logs/parse/time.ts, plain.ts, json.ts, http-status.ts and scan.ts: a line it counts is one
// those would count the same way (fast-scan.test.ts compares both).

// Memory: [0, 4096) settings and results, [4096, 8192) the level words, [8192, 8704) the JSON
// layout, [8704, 8960) the character classes, from INPUT the block (up to NEEDLE_TABLE), then the
// known-error automaton: its table, its masks, and the text it reads.
const SETTINGS: usize = 0
const RESULTS: usize = 256
const WORDS: usize = 4096
// per byte value: NAME (a logger name's characters), MARKER_FIRST (a marker phrase's first letters)
const CLASSES: usize = 8704
const NAME: u8 = 1
const MARKER_FIRST: u8 = 2
// JSON lines: the level key as written (`"level":`), the time key (`"time":`), the message key's
// tail (`msg":"`), each a length byte then the bytes; and the level of each number 0..99
const JSON_LEVEL_KEY: usize = 8192
const JSON_TIME_KEY: usize = 8256
const JSON_MSG_TAIL: usize = 8320
const JSON_LEVELS: usize = 8448
export const INPUT: usize = 65536
// the automaton of known-errors.ts (6 MiB of memory in all: see --initialMemory in package.json)
const NEEDLE_TABLE: usize = 5 << 20
const NEEDLE_MASKS: usize = NEEDLE_TABLE + (640 << 10)
const NEEDLE_TEXT: usize = NEEDLE_MASKS + (8 << 10)

// settings (written by the JavaScript side)
//   +0 u64, +8 u64  the minute: the first 16 bytes of its lines ("2026-11-22 01:00")
//   +16 f64         the minute's epoch ms
//   +24 i32         1: no zone after the time; 2: a Z after it (else nothing is counted)
//   +28 i32         the grouping level (lines at or above it are not counted)
//   +32 f64, +40 f64  since, until (epoch ms)
//   +48 i32         number of level words
// results (read by the JavaScript side after scan)
//   +0..+24 i32[7]  lines counted per level slot (0 none, 1 trace … 6 fatal)
//   +28 i32         lines filtered out by since/until
//   +32 f64, +40 f64  first and last time of the lines counted (NaN: none)
//   +48 f64         the time of the last line read (counted or filtered)
//   +56 i32         lines read (counted or filtered)
//   +60 i32[4]      of the lines counted, request lines with a status 2xx, 3xx, 4xx, 5xx
// level words: per word 16 bytes: u8 length, u8 level, then the word's bytes

@inline function b(p: usize): u32 {
  return <u32>load<u8>(p)
}
@inline function isDigit(c: u32): bool {
  return c - 48 < 10
}
@inline function isSep(c: u32): bool {
  // space, tab, '-', '|', ':', ','
  return c == 32 || c == 9 || c == 45 || c == 124 || c == 58 || c == 44
}
/** Fill the character classes (called once, before any scan). */
export function init(): void {
  for (let c: u32 = 0; c < 256; c++) {
    let k: u8 = 0
    // letters, digits and . _ - [ ]
    if ((c - 97 < 26) || (c - 65 < 26) || (c - 48 < 10) || c == 46 || c == 95 || c == 45 || c == 91 || c == 93) k |= NAME
    // S A B L U R M: the first letters of start-up and migration phrases
    if (c == 83 || c == 65 || c == 66 || c == 76 || c == 85 || c == 82 || c == 77) k |= MARKER_FIRST
    store<u8>(CLASSES + <usize>c, k)
  }
}
@inline function isNameChar(c: u32): bool {
  return (load<u8>(CLASSES + <usize>c) & NAME) != 0
}
@inline function isMarkerFirst(c: u32): bool {
  return (load<u8>(CLASSES + <usize>c) & MARKER_FIRST) != 0
}

/**
 * Might a start-up or migration marker begin at m (scan.ts markerAt's gate): a marker phrase's
 * first letter there, or after a `logger.name: ` of up to 60 characters?
 */
function mayBeMarker(m: usize, end: usize): bool {
  if (m < end && isMarkerFirst(b(m))) return true
  let i = m
  const stop = m + 60 < end ? m + 60 : end
  while (i < stop && isNameChar(b(i))) i++
  return i + 2 < end && b(i) == 58 && b(i + 1) == 32 && isMarkerFirst(b(i + 2))
}

/** The level of the upper-case word [p, q), or 0. */
function levelOf(p: usize, q: usize): i32 {
  const n = <u32>(q - p)
  const count = load<i32>(SETTINGS + 48)
  for (let k = 0; k < count; k++) {
    const w = WORDS + (<usize>k << 4)
    if (b(w) != n) continue
    let same = true
    for (let i: usize = 0; i < <usize>n; i++) {
      if (load<u8>(p + i) != load<u8>(w + 2 + i)) {
        same = false
        break
      }
    }
    if (same) return <i32>b(w + 1)
  }
  return 0
}

// the line lineScan read last: where its first " HTTP/" is (0 for none), and whether it holds a
// needle the JavaScript side must see
let httpAt: usize = 0
let needleSeen = false

/**
 * Read the line starting at m, 16 bytes at a time: returns its end (its newline, or end) and
 * notes in needleSeen whether it holds a needle the JavaScript side must see (` 429`, `Limit` of
 * RateLimit, `utcnow`, and in a JSON line a status key: `"status"`, `"statusCode"`,
 * `"status_code"`, as such a record takes the full parse), and in httpAt where a timestamped
 * line's first ` HTTP/` is. Candidates by their first two bytes (each check needs both): 42, HT,
 * Li, ut, and us in JSON; a lone 4, H, L or u (common letters) costs nothing. A needle is all
 * bytes other than a newline, so one that matches lies inside the line.
 */
function lineScan(m: usize, end: usize, json: bool): usize {
  const nl = i8x16.splat(10)
  const c4 = i8x16.splat(52)
  const c2 = i8x16.splat(50)
  // (no H in JSON: a request line there has no status for the fast path; bytes past a block are 0)
  const cH = i8x16.splat(json ? 0 : 72)
  const cT = i8x16.splat(84)
  const cL = i8x16.splat(76)
  const ci = i8x16.splat(105)
  const cu = i8x16.splat(117)
  const ct = i8x16.splat(116)
  // (none in plain lines: a byte is never both t and 0)
  const cs = i8x16.splat(json ? 115 : 116)
  httpAt = 0
  needleSeen = false
  for (let r0 = m; r0 < end; r0 += 16) {
    const v = v128.load(r0)
    const lines = i8x16.bitmask(i8x16.eq(v, nl))
    if (!needleSeen) {
      const w = v128.load(r0 + 1)
      const u = v128.and(i8x16.eq(v, cu), v128.or(i8x16.eq(w, ct), i8x16.eq(w, cs)))
      const p = v128.or(v128.and(i8x16.eq(v, c4), i8x16.eq(w, c2)), v128.and(i8x16.eq(v, cH), i8x16.eq(w, cT)))
      let bits = i8x16.bitmask(v128.or(v128.or(p, v128.and(i8x16.eq(v, cL), i8x16.eq(w, ci))), u))
      // (candidates after the newline belong to the next line)
      if (lines != 0) bits &= (1 << ctz(lines)) - 1
      while (bits != 0) {
        const r = r0 + <usize>ctz(bits)
        bits &= bits - 1
        const c = b(r)
        if (c == 52) {
          if (r + 2 < end && b(r - 1) == 32 && b(r + 1) == 50 && b(r + 2) == 57) needleSeen = true
        } else if (c == 72) {
          if (httpAt == 0 && r > m && r + 4 < end && b(r - 1) == 32 && load<u32>(r) == 0x50545448 && b(r + 4) == 47) httpAt = r - 1
        } else if (c == 76) {
          if (r + 4 < end && load<u32>(r) == 0x696d694c && b(r + 4) == 116) needleSeen = true
        } else {
          if (r + 5 < end && load<u32>(r) == 0x6e637475 && load<u16>(r + 4) == 0x776f) needleSeen = true
          // the u of "status then ", C or _ (parse/http-status.ts findStatus)
          else if (json && r >= m + 5 && r + 2 < end && b(r + 1) == 115 && load<u32>(r - 4) == 0x74617473 && b(r - 5) == 34) {
            const after = b(r + 2)
            if (after == 34 || after == 67 || after == 95) needleSeen = true
          }
        }
        if (needleSeen) break
      }
    }
    // (bytes past the block are 0: a newline found is inside it)
    if (lines != 0) return r0 + <usize>ctz(lines)
  }
  return end
}

/**
 * The status of the request line whose ` HTTP/` is at h, in line [a, e), or 0 (parse/http-status.ts
 * httpStatusIn): `"METHOD path HTTP/…" 503` with 3 to 7 capitals and a status 100–599 that is a word.
 */
function statusAt(a: usize, e: usize, h: usize): i32 {
  let open = h
  while (open > a && b(open - 1) != 34) open--
  if (open == a) return 0
  open--
  let m = open + 1
  while (m < h && b(m) - 65 < 26) m++
  const n = m - open - 1
  if (n < 3 || n > 7 || b(m) != 32) return 0
  let q = h
  while (q < e && b(q) != 34) q++
  if (q >= e || q + 5 > e || b(q + 1) != 32) return 0
  const d0 = b(q + 2) - 48
  const d1 = b(q + 3) - 48
  const d2 = b(q + 4) - 48
  if (d0 < 1 || d0 > 5 || d1 > 9 || d2 > 9) return 0
  if (q + 5 < e) {
    const c = b(q + 5)
    if ((c - 48 < 10) || (c - 65 < 26) || (c - 97 < 26) || c == 95) return 0
  }
  return <i32>(d0 * 100 + d1 * 10 + d2)
}


// the line read last: its level slot, time and HTTP status (set by accept)
let gotSlot: i32 = 0
let gotTs: f64 = 0
let gotStatus: i32 = 0

// the time timeEndAt read last
let timeTs: f64 = 0

/**
 * Where the time at the start of line [a, e) ends, when it is one of the cached minute that
 * time.ts reads without its slow path (so the line certainly starts a record); else 0. Sets timeTs.
 */
function timeEndAt(a: usize, e: usize): usize {
  if (e - a < 19) return 0
  if (load<u64>(a) != load<u64>(SETTINGS) || load<u64>(a + 8) != load<u64>(SETTINGS + 8) || b(a + 16) != 58) return 0
  const s0 = b(a + 17) - 48
  const s1 = b(a + 18) - 48
  if (s0 > 9 || s1 > 9) return 0
  const sec = s0 * 10 + s1
  // a second past 59 would be the next minute
  if (sec > 59) return 0
  let j = a + 19
  // the fraction's first three digits are the milliseconds (time.ts adds digit × 100, × 10, × 1
  // and drops the rest: the same whole number, without a division per digit)
  let ms: u32 = 0
  const c = j < e ? b(j) : 10
  if ((c == 46 || c == 44) && j + 1 < e && isDigit(b(j + 1))) {
    j++
    let scale: u32 = 100
    while (j < e && isDigit(b(j))) {
      ms += (b(j) - 48) * scale
      scale /= 10
      j++
    }
  }
  const z = j < e ? b(j) : 10
  const zone = load<i32>(SETTINGS + 24)
  let t = j
  if (zone == 1) {
    const z1 = j + 1 < e ? b(j + 1) : 10
    if (z == 90 || z == 43 || (z == 45 && isDigit(z1)) || (z == 32 && (z1 == 43 || z1 == 45 || z1 == 85))) return 0
  } else if (zone == 2 && z == 90) t = j + 1
  else return 0
  timeTs = load<f64>(SETTINGS + 16) + <f64>(sec * 1000) + <f64>ms
  return t
}

/**
 * Can line [a, e) be counted here? (A record start of the cached minute, a level word below the
 * grouping level, no marker and no needle.) Sets gotSlot and gotTs.
 */
function accept(a: usize, e: usize, end: usize): bool {
  if (e - a < 20 || b(e - 1) == 13) return false
  const t = timeEndAt(a, e)
  if (t == 0) return false
  // the level word: a space, 3 to 11 capitals, a space
  if (t >= e || b(t) != 32) return false
  const p = t + 1
  let q = p
  while (q < e && b(q) - 65 < 26) q++
  if (q - p < 3 || q - p > 11 || q >= e || b(q) != 32) return false
  const level = levelOf(p, q)
  if (level == 0 || level >= load<i32>(SETTINGS + 28)) return false
  // the message start, and no start-up or migration marker there
  let m = q
  while (m < e && isSep(b(m))) m++
  if (mayBeMarker(m, end)) return false
  if (needleSeen) return false
  gotStatus = httpAt != 0 ? statusAt(a, e, httpAt) : 0
  gotSlot = level >= 60 ? 6 : level >= 10 ? level / 10 : 0
  gotTs = timeTs
  return true
}

/**
 * Count the lines of the block from offset `from` (a line start) while each line and the line
 * after it can be counted here (a line is a record on its own only when the next one starts a
 * record): timestamped lines, or JSON lines when `json` is 1 (a run of those stays within one
 * minute). Returns the offset where the JavaScript side goes on (the first line not counted), with
 * the counts in RESULTS.
 */
export function scan(from: i32, len: i32, json: i32): i32 {
  const end = INPUT + <usize>len
  for (let k: usize = 0; k < 7; k++) store<i32>(RESULTS + (k << 2), 0)
  store<i32>(RESULTS + 28, 0)
  store<f64>(RESULTS + 32, NaN)
  store<f64>(RESULTS + 40, NaN)
  store<i32>(RESULTS + 56, 0)
  for (let k: usize = 0; k < 4; k++) store<i32>(RESULTS + 60 + (k << 2), 0)
  const since = load<f64>(SETTINGS + 32)
  const until = load<f64>(SETTINGS + 40)
  let a = INPUT + <usize>from
  let e = lineScan(a, end, json != 0)
  // the next line must exist in the block to know this one is a record on its own
  if (e >= end || !(json ? acceptJson(a, e, end) : accept(a, e, end))) return from
  const minute = Math.floor(gotTs / 60000)
  let lines = 0
  let filtered = 0
  let first: f64 = NaN
  let last: f64 = NaN
  for (;;) {
    const slot = gotSlot
    const ts = gotTs
    const status = gotStatus
    // a JSON line of another minute starts the next run
    if (json && Math.floor(ts / 60000) != minute) break
    const a2 = e + 1
    const e2 = lineScan(a2, end, json != 0)
    const more = e2 < end && (json ? acceptJson(a2, e2, end) : accept(a2, e2, end))
    // line a is a record of its own when the next line starts one
    if (!more && !(a2 < end && (json ? b(a2) == 123 : timeEndAt(a2, e2) != 0))) break
    lines++
    store<f64>(RESULTS + 48, ts)
    if (ts < since || ts > until) filtered++
    else {
      const p = RESULTS + (<usize>slot << 2)
      store<i32>(p, load<i32>(p) + 1)
      if (status != 0) {
        // 1xx counts as 2xx, as in Totals.count
        const at = status < 200 ? RESULTS + 60 : RESULTS + 60 + (<usize>(status / 100 - 2) << 2)
        store<i32>(at, load<i32>(at) + 1)
      }
      if (!(ts >= first)) first = ts
      if (!(ts <= last)) last = ts
    }
    a = a2
    e = e2
    // the next line is left to the JavaScript side
    if (!more) break
  }
  store<i32>(RESULTS + 28, filtered)
  store<f64>(RESULTS + 32, first)
  store<f64>(RESULTS + 40, last)
  store<i32>(RESULTS + 56, lines)
  return <i32>(a - INPUT)
}

/** Do the len bytes at p equal the key stored at k (a length byte, then its bytes)? */
function keyAt(p: usize, k: usize, e: usize): bool {
  const n = <usize>b(k)
  if (p + n > e) return false
  for (let i: usize = 0; i < n; i++) if (load<u8>(p + i) != load<u8>(k + 1 + i)) return false
  return true
}

/** Where the first `msg":"` (the learned tail) with a quote before it starts in [from, e), or 0. */
function msgAt(from: usize, e: usize): usize {
  const tail = <usize>b(JSON_MSG_TAIL)
  const c0 = i8x16.splat(<i8>b(JSON_MSG_TAIL + 1))
  for (let r0 = from; r0 < e; r0 += 16) {
    let bits = i8x16.bitmask(i8x16.eq(v128.load(r0), c0))
    while (bits != 0) {
      const r = r0 + <usize>ctz(bits)
      bits &= bits - 1
      if (r + tail > e) return 0
      if (b(r - 1) == 34 && keyAt(r, JSON_MSG_TAIL, e)) return r
    }
  }
  return 0
}

/**
 * Can JSON line [a, e) be counted here? The learned level key first with a number (json.ts
 * quickAt), the time key right after it with whole epoch milliseconds, below the grouping level,
 * no marker at the message start, no needle. Sets gotSlot and gotTs.
 */
function acceptJson(a: usize, e: usize, end: usize): bool {
  if (e - a < 4 || b(a) != 123 || b(e - 1) == 13) return false
  let p = a + 1
  if (!keyAt(p, JSON_LEVEL_KEY, e)) return false
  p += <usize>b(JSON_LEVEL_KEY)
  while (p < e && b(p) == 32) p++
  let n: u32 = 0
  const d0 = p
  while (p < e && isDigit(b(p)) && p - d0 < 3) {
    n = n * 10 + b(p) - 48
    p++
  }
  if (p == d0 || n > 99 || (p < e && isDigit(b(p)))) return false
  const level = <i32>b(JSON_LEVELS + <usize>n)
  if (level == 0 || level >= load<i32>(SETTINGS + 28)) return false
  // the time key right after the level: whole milliseconds (1e11 to 1e14)
  if (p >= e || b(p) != 44 || !keyAt(p + 1, JSON_TIME_KEY, e)) return false
  p += 1 + <usize>b(JSON_TIME_KEY)
  while (p < e && b(p) == 32) p++
  let t: f64 = 0
  const t0 = p
  while (p < e && isDigit(b(p))) {
    t = t * 10 + <f64>(b(p) - 48)
    p++
  }
  if (p == t0 || (p < e && b(p) == 46) || t < 1e11 || t >= 1e14) return false
  // the message start (the first `msg":"` with a quote before it): no marker there
  const tail = <usize>b(JSON_MSG_TAIL)
  if (tail > 0) {
    const m = msgAt(a + 1, e)
    if (m != 0 && mayBeMarker(m + tail, end)) return false
  }
  if (needleSeen) return false
  gotSlot = level >= 60 ? 6 : level >= 10 ? level / 10 : 0
  gotTs = t
  // a request line in a JSON message has no status for the fast path (a status key does)
  gotStatus = 0
  return true
}

/**
 * Which known-error signatures have a needle in the len bytes at NEEDLE_TEXT: the automaton of
 * known-errors.ts, its table (a row of 128 targets per state, each its state << 7, negated where a
 * needle ends) copied to NEEDLE_TABLE and each state's mask to NEEDLE_MASKS. The text is UTF-8: a
 * byte of 128 or more restarts it, as a non-ASCII character does there (needles are ASCII). Two
 * halves are read at once (each step waits on the table load before it), the first on past the
 * middle by the longest needle less one, so every needle lies whole in one of them.
 */
export function needles(len: i32, longest: i32): i32 {
  const n = <usize>len
  const mid = n >> 1
  let endA = mid + <usize>longest - 1
  if (endA > n) endA = n
  let a: usize = 0
  let b: usize = mid
  let ra: i32 = 0
  let rb: i32 = 0
  needleFound = 0
  for (; a < endA && b < n; a++, b++) {
    ra = needleStep(ra, load<u8>(NEEDLE_TEXT + a))
    rb = needleStep(rb, load<u8>(NEEDLE_TEXT + b))
  }
  for (; a < endA; a++) ra = needleStep(ra, load<u8>(NEEDLE_TEXT + a))
  for (; b < n; b++) rb = needleStep(rb, load<u8>(NEEDLE_TEXT + b))
  return needleFound
}

// the masks of the needles needles() found so far
let needleFound: i32 = 0

/** One byte read from state row r (a row offset): the next row, noting a needle that ends there. */
@inline function needleStep(r: i32, c: u8): i32 {
  // (a byte of a non-ASCII character)
  if (c >= 128) return 0
  let t = load<i32>(NEEDLE_TABLE + (<usize>(r | <i32>c) << 2))
  if (t < 0) {
    t = -t
    needleFound |= load<i32>(NEEDLE_MASKS + (<usize>(t >> 7) << 2))
  }
  return t
}
