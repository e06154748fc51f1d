/**
 * The HTTP status a record carries: where it may be (the block fast path's search), and the
 * status of a request line inside an app's log (`… "GET /x HTTP/1.1" 503 …`, as uvicorn and
 * gunicorn write it). The full parse and the fast path read a request line with the same function,
 * so they cannot disagree.
 */
import type { StatusPlace } from './parser.js'

/**
 * Where the next HTTP status may be, from `from`: a request line's ` HTTP/` (plain formats), a
 * `"status…"` key (JSON: status, statusCode, status_code) or `status=`/`status_code=` (logfmt);
 * -1 when none. Searched by `HTTP/` and `tatus`: V8 finds a pattern led by a common character
 * (a space, a quote) several times slower.
 */
export function findStatus(text: string, from: number, kind: StatusPlace): number {
  if (kind === 'request-line') {
    for (let i = text.indexOf('HTTP/', from + 1); i >= 0; i = text.indexOf('HTTP/', i + 1)) if (text.charCodeAt(i - 1) === 32) return i - 1
    return -1
  }
  for (let i = text.indexOf('tatus', from + 1); i >= 0; i = text.indexOf('tatus', i + 1)) {
    if (text.charCodeAt(i - 1) !== 115) continue
    const before = text.charCodeAt(i - 2)
    const after = text.charCodeAt(i + 5)
    if (kind === 'json' ? before === 34 && (after === 34 || after === 67 || after === 95) : (before === 32 || before === 10 || i === 1) && (after === 61 || after === 95)) return i - 1
  }
  return -1
}

/**
 * The status of the first HTTP request line in text[a, b), or 0: a quoted request that starts
 * with a method (`"GET /x HTTP/1.1"`), a space, then a status 100–599 that is a word of its own.
 */
export function httpStatusIn(text: string, a: number, b: number): number {
  const h = findStatus(text, a - 1, 'request-line')
  if (h < 0 || h >= b) return 0
  // the request's opening quote, then the method: 3 to 7 capitals and a space
  const open = text.lastIndexOf('"', h)
  if (open < a) return 0
  let m = open + 1
  while (m < h && isCapital(text.charCodeAt(m))) m++
  if (m - open - 1 < 3 || m - open - 1 > 7 || text.charCodeAt(m) !== 32) return 0
  const q = text.indexOf('"', h)
  if (q < 0 || q + 5 > b || text.charCodeAt(q + 1) !== 32) return 0
  const d0 = text.charCodeAt(q + 2) - 48
  const d1 = text.charCodeAt(q + 3) - 48
  const d2 = text.charCodeAt(q + 4) - 48
  if (d0 < 1 || d0 > 5 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return 0
  if (q + 5 < b && isWordChar(text.charCodeAt(q + 5))) return 0
  return d0 * 100 + d1 * 10 + d2
}

const isCapital = (c: number): boolean => c >= 65 && c <= 90

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95
}
