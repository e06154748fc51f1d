/**
 * Masking before template mining: variable parts become `<*>` so "user 42 timed out after 3000ms"
 * and "user 7 timed out after 250ms" share a template. Work is per token with a char scan (no
 * regex) for the common case; only quoted multi-word values use one compiled regex.
 */

import { detached } from './detach.js'
import { FILE_EXTENSIONS, HOST_SUFFIXES, UNITS } from './grouping.data.js'

export const WILDCARD = '<*>'
const MAX_TOKENS = 80

// A quoted value with a space inside collapses to one token ("user 'John Smith' not found").
// Not after a word character, so apostrophes in "can't" are left alone.
const RE_QUOTED = /(?<![\w])"[^"\n]{0,400}"(?![\w])|(?<![\w])'[^'\n]{0,400}'(?![\w])/g
const RE_HTTP_REQUEST = /^["'](?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /

function collapseQuoted(m: string): string {
  if (m.indexOf(' ') < 0 || RE_HTTP_REQUEST.test(m)) return m
  return m[0] + WILDCARD + m[0]
}

const DATE_WORDS = new Set(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'])

const RE_HOST = new RegExp(`^[\\[(<'"]?(?:[A-Za-z0-9-]+\\.)+(?:${HOST_SUFFIXES.join('|')})[\\])>'",.;:]*$`, 'i')

const RE_FILE_NAME = new RegExp(`^[\\w-]+\\.(?:${FILE_EXTENSIONS.join('|')})[,.;:)]?$`, 'i')

/** The first 8 characters are hex letters (a-f): an id, not a word. */
function isHexWord(t: string): boolean {
  for (let i = 0; i < 8; i++) {
    const c = t.charCodeAt(i)
    if (c < 97 || c > 102) return false
  }
  return true
}

/** A token that carries a number, an address, an email or a URL is a variable. */
export function maskToken(t: string): string {
  let digit = false
  let eq = -1
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      digit = true
      break
    }
    if (c === 64 /* @ */ && i > 0) return WILDCARD
    if (c === 61 /* = */ && eq < 0) eq = i
    if (c === 58 /* : */ && t.charCodeAt(i + 1) === 47 && t.charCodeAt(i + 2) === 47) return WILDCARD // URL
  }
  if (!digit) {
    // an empty value: "connection from 1.2.3.4 () at …"
    if (t === '()' || t === '[]' || t === '{}' || t === '""' || t === "''") return WILDCARD
    // month and weekday names are parts of dates, not words of the message
    if (t.length === 3 && DATE_WORDS.has(t)) return WILDCARD
    if (eq > 0 && eq < t.length - 1) {
      // key=value: keep the key, mask a long or quoted value
      const v = t.slice(eq + 1)
      if (v.length > 24 || v.charCodeAt(0) === 34 || v.charCodeAt(0) === 39 || v.indexOf('/') >= 0 || (v.length >= 8 && isHexWord(v)) || (v.indexOf('.') > 0 && RE_HOST.test(v))) return t.slice(0, eq + 1) + WILDCARD
    }
    // a host name or a file name is a value ("getaddrinfo for mail.example.com", "chrome.exe")
    if (t.indexOf('.') > 0 && (RE_HOST.test(t) || RE_FILE_NAME.test(t))) return WILDCARD
    // hex ids that happen to have no digit ("bcffbebf.pdf") and base64-ish blobs
    if (t.length >= 8 && isHexWord(t)) return WILDCARD
    if (t.length >= 32 && /^[A-Za-z0-9+/_-]+=*$/.test(t)) return WILDCARD
    return t
  }
  // a dot leader before the value ("instruction......0", "prefetch depth....1"): the word stays
  const lead = t.indexOf('..') > 0 ? RE_DOT_LEADER.exec(t) : null
  if (lead) return lead[1] + '..' + WILDCARD
  if (eq > 0) {
    const key = t.slice(0, eq)
    let keyHasDigit = false
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i)
      if (c >= 48 && c <= 57) keyHasDigit = true
    }
    if (!keyHasDigit) return key + '=' + WILDCARD
  }
  // key:value with a plain name as key keeps its key ("mapResourceRequest:<memory:1024,")
  const colon = t.indexOf(':')
  if (colon >= 2 && (eq < 0 || colon < eq) && RE_NAME.test(t.slice(0, colon)) && !RE_HOST.test(t.slice(0, colon))) return t.slice(0, colon + 1) + WILDCARD
  return WILDCARD
}

const RE_NAME = /^[A-Za-z_][A-Za-z_.-]*$/
const RE_DOT_LEADER = /^([A-Za-z_][A-Za-z_-]*)\.{2,}/

// token separators: whitespace and '|' (HealthApp-style `a|b|c` records); a table, one load a character
const SEP = new Uint8Array(128)
for (const c of [32, 9, 10, 13, 124]) SEP[c] = 1

/** What a token without a digit masks to on its own, and the tests the rules around it read. */
interface WordInfo {
  m: string
  path: boolean
  unit: boolean
  cls: boolean
  num: boolean
}
interface WordEntry extends WordInfo {
  word: string
  /** Where the word's UTF-16 code units are in wordUnits (compared with a message's, see unitsOf). */
  at: number
}
// Words repeat from message to message: each is classified once (the host, file and class-name
// regexes are the costly part), until the cache is emptied at WORD_LIMIT entries. A word is found
// by a hash taken while its token is read and its characters compared in place, so a word seen
// before is never cut out of its message (the slice and a Map's hash of it cost more than the
// rest of the masking).
const WORD_LIMIT = 20_000
const WORD_SLOTS = 1 << 15
const wordHashes = new Int32Array(WORD_SLOTS)
const wordEntries: (WordEntry | undefined)[] = new Array<WordEntry | undefined>(WORD_SLOTS).fill(undefined)
let wordCount = 0
// the remembered words' code units, one after another (one array, not one per word)
let wordUnits = new Uint16Array(1 << 17)
let wordUnitsUsed = 0

/** The word s[a, b) (no digit in it; `u`: the code units of s), whose hash is h (see maskTokens). */
function wordAt(s: string, u: Uint16Array, a: number, b: number, h: number): WordInfo {
  const n = b - a
  let slot = h & (WORD_SLOTS - 1)
  for (;;) {
    const e = wordEntries[slot]
    if (e === undefined) break
    if (wordHashes[slot] === h && e.word.length === n && sameAt(e.at, u, a, n)) return e
    slot = (slot + 1) & (WORD_SLOTS - 1)
  }
  if (wordCount >= WORD_LIMIT) {
    wordEntries.fill(undefined)
    wordCount = 0
    wordUnitsUsed = 0
    slot = h & (WORD_SLOTS - 1)
  }
  if (wordUnitsUsed + n > wordUnits.length) {
    const more = new Uint16Array(Math.max(wordUnits.length * 2, wordUnitsUsed + n))
    more.set(wordUnits.subarray(0, wordUnitsUsed))
    wordUnits = more
  }
  wordUnits.set(u.subarray(a, b), wordUnitsUsed)
  const w = classify(s.slice(a, b), wordUnitsUsed)
  wordUnitsUsed += n
  wordEntries[slot] = w
  wordHashes[slot] = h
  wordCount++
  return w
}

/** Do the n units at a equal the remembered ones at `at`? */
function sameAt(at: number, u: Uint16Array, a: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (wordUnits[at + k] !== u[a + k]) return false
  return true
}

/** A remembered word: what it masks to and the rules' tests (infoOf), with copies of its texts. */
function classify(t: string, at: number): WordEntry {
  // the cache keeps the word and what it answers with: copies (see detach.ts)
  const word = detached(t)
  const masked = maskToken(t)
  return { word, at, ...infoOf(t, masked === t ? word : detached(masked)) }
}

/** Token t masked on its own to m, and the tests the rules around a kept token read. */
function infoOf(t: string, m: string): WordInfo {
  const c = t.charCodeAt(0)
  const kept = m !== WILDCARD
  return {
    m,
    path: kept && (c === 47 ? t.length > 1 : t.indexOf('/', 1) > 0 && t.indexOf('=') < 0),
    unit: kept && RE_UNIT.test(t),
    cls: kept && c >= 97 && c <= 122 && t.indexOf('.') > 0 && RE_CLASS_NAME.test(t) && !RE_THROWABLE.test(t),
    num: isNumberLike(t),
  }
}

/** Words remembered now (for tests). */
export const wordCacheSize = (): number => wordCount

// A message's UTF-16 code units, copied out in one native call: a load from a typed array each,
// where charCodeAt checks the string's representation at every character.
let unitBytes = Buffer.alloc(1 << 16)
let units = new Uint16Array(unitBytes.buffer, unitBytes.byteOffset, unitBytes.length >> 1)
function unitsOf(s: string): Uint16Array {
  if (s.length > units.length) {
    unitBytes = Buffer.alloc(2 << (32 - Math.clz32(s.length)))
    units = new Uint16Array(unitBytes.buffer, unitBytes.byteOffset, unitBytes.length >> 1)
  }
  unitBytes.write(s, 0, 'utf16le')
  return units
}

/** The masked tokens of a message (whitespace-separated, at most 80; the rest folds into one wildcard). */
export function maskTokens(message: string): string[] {
  let s = message
  if (s.indexOf('"') >= 0 || s.indexOf("'") >= 0) s = s.replace(RE_QUOTED, collapseQuoted)
  const out: string[] = []
  let i = 0
  const len = s.length
  const u = unitsOf(s)
  prevNumber = false
  while (i < len) {
    let c = u[i]
    while (c < 128 && SEP[c] === 1) {
      if (++i >= len) break
      c = u[i]
    }
    if (i >= len) break
    const start = i
    let digit = false
    // an = : or . before the first digit (where maskToken may keep a key or a word)
    let keyish = false
    // the token's hash, for wordAt
    let h = 0
    // to the next separator (a space after a backslash is part of the token)
    for (;;) {
      if (c < 128 && SEP[c] === 1 && !(c === 32 && u[i - 1] === 92)) break
      if (c >= 48 && c <= 57) digit = true
      else if (!digit && (c === 61 || c === 58 || c === 46)) keyish = true
      h = (Math.imul(h, 31) + c) | 0
      if (++i >= len) break
      c = u[i]
    }
    if (out.length === MAX_TOKENS) {
      out.push(WILDCARD)
      break
    }
    const n = out.length
    if (digit && !keyish) {
      // maskToken's answer without the token cut out: a key (key=1, key:1) or a dot leader
      // (word..1) needs one of = : . before the first digit, anything else with a digit is a value
      prevNumber = isNumberLikeAt(s, start, i)
      if (n > 0 && out[n - 1] === WILDCARD) continue
      out.push(WILDCARD)
      continue
    }
    let w: WordInfo
    if (!digit) {
      h ^= h >>> 15
      h = Math.imul(h, 0x2c1b3c6d)
      w = wordAt(s, u, start, i, h ^ (h >>> 12))
    } else {
      // a key or a dot leader with a value (rare enough to be read each time)
      const t = s.slice(start, i)
      w = infoOf(t, maskToken(t))
    }
    let m = w.m
    if (m !== WILDCARD && n > 0) {
      // a path is a variable ("adding path spec: /ws/*", "com.app/.ui.Main"), except the route
      // of an access-log event, after its bare method
      if (w.path && !RE_METHOD.test(out[n - 1])) m = WILDCARD
      // a unit belongs to the number before it ("93.0 B" and "5.2 KB" are one kind of size)
      else if (prevNumber && w.unit) m = WILDCARD
      // a class name inside a message names a value ("Registering class org.a.b.EventType for …")
      else if (w.cls) m = WILDCARD
    }
    prevNumber = m === WILDCARD && w.num
    // one wildcard stands for a run of values ("<1 sec" and "00:01", "( 3552 3534 … )")
    if (m === WILDCARD && n > 0 && out[n - 1] === WILDCARD) continue
    out.push(m)
  }
  return out
}

// bare: the request line medic writes for an access-log event ("GET /api/orders 502 Bad Gateway");
// a quoted one inside a message ('"GET /v2/…/servers HTTP/1.1" status: 200') is data
const RE_METHOD = /^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|CONNECT|TRACE)$/
const RE_UNIT = new RegExp(`^(?:${UNITS.join('|')})[,.;:)\\]]*$`)
const RE_CLASS_NAME = /^(?:[a-z_][\w]*\.){2,}[A-Z][\w$]*[a-z][\w$]*[,.;:)\]]*$/
const RE_THROWABLE = /(?:Exception|Error|Throwable)[,.;:)\]]*$/
let prevNumber = false

/** A number, possibly signed, with a fraction or a unit glued on ("5.2", "-3", "45ms"). */
function isNumberLike(t: string): boolean {
  return isNumberLikeAt(t, 0, t.length)
}
/** isNumberLike of the token s[a, b). */
function isNumberLikeAt(s: string, a: number, b: number): boolean {
  let c = s.charCodeAt(a)
  if ((c === 40 || c === 91 || c === 60) && b - a > 1) c = s.charCodeAt(a + 1)
  if ((c === 45 || c === 43) && b - a > 1) c = s.charCodeAt(a + 1)
  return c >= 48 && c <= 57
}

/** The message with its variable parts masked, as one string. */
export function maskMessage(message: string): string {
  return maskTokens(message).join(' ')
}

