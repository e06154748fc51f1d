/**
 * The status of a request line inside an app's log: one reader for the full parse and the fast
 * path, so a file's HTTP totals do not depend on which of the two read a line.
 */
import { describe, expect, it } from 'vitest'
import { httpStatusIn } from './http-status.js'
import { plainParser } from './plain.js'
import { newEvent } from './parser.js'

const status = (line: string) => httpStatusIn(line, 0, line.length)

describe('httpStatusIn', () => {
  it('reads the status after a quoted request (uvicorn, gunicorn, nginx-style)', () => {
    expect(status('INFO:     127.0.0.1:51234 - "GET /api/users HTTP/1.1" 500 Internal Server Error')).toBe(500)
    expect(status('2026-11-22 01:00:00,001 INFO uvicorn.access: 10.0.0.1:5 - "POST /api/orders HTTP/1.1" 201')).toBe(201)
    expect(status('10.0.0.1 - - [22/Nov/2026:02:00:00 +0000] "DELETE /x?y=1 HTTP/2.0" 404 0')).toBe(404)
    expect(status('"OPTIONS * HTTP/1.1" 204')).toBe(204)
  })

  it('needs a method, a status from 100 to 599, and the status as a word of its own', () => {
    expect(status('proxy: "upstream HTTP/2 stream reset" 502')).toBe(0) // no method
    expect(status('"get /x HTTP/1.1" 200')).toBe(0) // a method is in capitals
    expect(status('"GET /x HTTP/1.1" 999')).toBe(0)
    expect(status('"GET /x HTTP/1.1" 099')).toBe(0)
    expect(status('"GET /x HTTP/1.1" 5030')).toBe(0)
    expect(status('"GET /x HTTP/1.1" 503a')).toBe(0)
    expect(status('"GET /x HTTP/1.1" 503, done')).toBe(503)
    expect(status('"GET /x HTTP/1.1"  503')).toBe(0)
    expect(status('no request here 500')).toBe(0)
  })

  it('reads only within [a, b): a request line on the next line of a block is not this line\'s', () => {
    const text = 'INFO no request\n"GET /x HTTP/1.1" 503\n'
    expect(httpStatusIn(text, 0, 15)).toBe(0)
    expect(httpStatusIn(text, 16, text.length - 1)).toBe(503)
  })

  it('is what the full parse reads', () => {
    for (const line of ['2026-11-22 01:00:00,001 INFO app: 10.0.0.1 - "GET /x HTTP/1.1" 503', '2026-11-22 01:00:00,001 INFO app: "upstream HTTP/2 reset" 502', '2026-11-22 01:00:00,001 INFO app: "GET /x HTTP/1.1" 999']) {
      const ev = newEvent(0, 1)
      plainParser.parse(line, ev)
      expect(ev.status, line).toBe(status(line))
    }
  })
})
