/** Record formats: every shape named in the issue, parsed from real-looking lines; property tests for the parsers. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { detect } from '../detect.js'
import { LEVEL, type LogEvent } from '../types.js'
import { fromFields } from './fields.js'
import { jsonParser } from './json.js'
import { logfmtParser, parseLogfmt } from './logfmt.js'
import { newEvent, quick } from './parser.js'
import { accessParser, plainParser, syslogParser, timestampedParser } from './plain.js'
import { leadingTime, timeValue } from './time.js'

function parseWith(lines: string[]): LogEvent[] {
  const p = detect(lines)
  return lines.map((l, i) => {
    const ev = newEvent(0, i + 1)
    p.parse(l, ev)
    return ev
  })
}

const T = Date.UTC(2026, 10, 22, 2, 0, 0, 123)

describe('JSON lines', () => {
  it('pino: numeric level, epoch ms, reqId, err.stack', () => {
    const line = JSON.stringify({ level: 50, time: T, pid: 1, hostname: 'h', name: 'api', reqId: 'req-7', msg: 'boom', err: { type: 'Error', message: 'x', stack: 'Error: x\n    at f (/app/a.js:1:2)' } })
    const [ev] = parseWith([line])
    expect(ev).toMatchObject({ level: LEVEL.error, ts: T, service: 'api', traceId: 'req-7', message: 'boom' })
    expect(ev.stack).toContain('at f (/app/a.js:1:2)')
  })
  it('bunyan: v0 numeric levels, ISO time', () => {
    const [ev] = parseWith([JSON.stringify({ name: 'svc', hostname: 'h', pid: 1, level: 40, msg: 'slow', time: '2026-11-22T02:00:00.123Z', v: 0 })])
    expect(ev).toMatchObject({ level: LEVEL.warn, ts: T, service: 'svc' })
  })
  it('winston: string level, timestamp, stack', () => {
    const [ev] = parseWith([JSON.stringify({ level: 'error', message: 'db down', timestamp: '2026-11-22T02:00:00.123Z', stack: 'Error: db down\n    at q (/app/db.js:3:9)', correlationId: 'c-1' })])
    expect(ev).toMatchObject({ level: LEVEL.error, ts: T, message: 'db down', traceId: 'c-1' })
    expect(ev.stack).toContain('Error: db down')
  })
  it('structlog: event, exception text', () => {
    const [ev] = parseWith([JSON.stringify({ event: 'payment failed', level: 'error', timestamp: '2026-11-22T02:00:00.123Z', request_id: 'r-9', exception: 'Traceback (most recent call last):\n  File "/app/x.py", line 3, in f\n    g()\nValueError: bad' })])
    expect(ev).toMatchObject({ message: 'payment failed', traceId: 'r-9', level: LEVEL.error })
    expect(ev.stack).toContain('ValueError: bad')
  })
  it('python-json-logger: levelname, asctime, exc_info', () => {
    const [ev] = parseWith([JSON.stringify({ asctime: '2026-11-22 02:00:00,123', levelname: 'CRITICAL', name: 'app.db', message: 'gone', exc_info: 'Traceback (most recent call last):\n  File "/app/y.py", line 1, in h\n    x\nKeyError: \'a\'', trace_id: 't-1' })])
    expect(ev.level).toBe(LEVEL.fatal)
    expect(ev.traceId).toBe('t-1')
    expect(ev.stack).toContain("KeyError: 'a'")
  })
  it('ECS: @timestamp, log.level, service.name, trace.id, error.stack_trace, http status', () => {
    const [ev] = parseWith([JSON.stringify({ '@timestamp': '2026-11-22T02:00:00.123Z', 'log.level': 'warn', message: 'slow', service: { name: 'checkout' }, trace: { id: 'abc123' }, http: { response: { status_code: 503 } }, error: { stack_trace: 'java.lang.IllegalStateException: x\n\tat com.acme.A.b(A.java:1)' } })])
    expect(ev).toMatchObject({ ts: T, level: LEVEL.warn, service: 'checkout', traceId: 'abc123', status: 503 })
    expect(ev.stack).toContain('IllegalStateException')
  })
  it('OpenTelemetry: Timestamp ns, SeverityNumber, TraceId', () => {
    const [ev] = parseWith([JSON.stringify({ Timestamp: String(BigInt(T) * 1000000n), SeverityNumber: 17, SeverityText: 'ERROR', Body: 'rpc failed', TraceId: '4bf92f3577b34da6a3ce929d0e0e4736', Resource: { 'service.name': 'cart' } })])
    expect(ev).toMatchObject({ ts: T, level: LEVEL.error, message: 'rpc failed', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' })
  })
  it('traceparent and x-correlation-id keys', () => {
    const [a, b] = parseWith([
      JSON.stringify({ level: 'info', msg: 'in', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }),
      JSON.stringify({ level: 'info', msg: 'in', 'x-correlation-id': 'corr-42' }),
    ])
    expect(a.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736')
    expect(b.traceId).toBe('corr-42')
  })
  it('journald -o json: MESSAGE, PRIORITY, __REALTIME_TIMESTAMP µs', () => {
    const [ev] = parseWith([JSON.stringify({ __REALTIME_TIMESTAMP: String(T * 1000), PRIORITY: '3', SYSLOG_IDENTIFIER: 'api', MESSAGE: 'worker died' })])
    expect(ev).toMatchObject({ ts: T, level: LEVEL.error, service: 'api', message: 'worker died' })
  })
  it('docker json-file: the inner line is parsed too', () => {
    const [ev] = parseWith([JSON.stringify({ log: '2026-11-22 02:00:00,123 ERROR app: boom\n', stream: 'stderr', time: '2026-11-22T02:00:05Z' })])
    expect(ev.level).toBe(LEVEL.error)
    expect(ev.message).toContain('boom')
  })
  it('fast path agrees with the full parse', () => {
    const lines = [JSON.stringify({ level: 30, time: T, msg: 'a' }), JSON.stringify({ level: 'warning', time: '2026-11-22T02:00:00.123Z', msg: 'b' })]
    for (const line of lines) {
      const p = jsonParser([line])
      const ev = newEvent(0, 1)
      p.parse(line, ev)
      expect(p.quick!(line)).toBe(ev.level)
    }
  })
})

describe('logfmt', () => {
  it('parses quoted values, levels, times and ids', () => {
    const line = 'time=2026-11-22T02:00:00.123Z level=error msg="db \\"main\\" down" request_id=r-1 status=502 duration=1.5s'
    const [ev] = parseWith([line, line])
    expect(ev).toMatchObject({ ts: T, level: LEVEL.error, message: 'db "main" down', traceId: 'r-1', status: 502, durationMs: 1500 })
    expect(logfmtParser.quick!(line)).toBe(LEVEL.error)
  })
})

describe('plain formats', () => {
  const cases: [string, string, Partial<LogEvent>][] = [
    ['Python default (basicConfig)', 'ERROR:app.db:connection lost', { level: LEVEL.error, message: 'app.db:connection lost' }],
    ['Python asctime', '2026-11-22 02:00:00,123 WARNING app.api: slow request request_id=abc-123', { level: LEVEL.warn, ts: NaN, traceId: 'abc-123' }],
    ['Python dashes', '2026-11-22 02:00:00,123 - app.api - ERROR - boom', { level: LEVEL.error, message: 'boom' }],
    ['uvicorn access', 'INFO:     127.0.0.1:51234 - "GET /api/users HTTP/1.1" 500 Internal Server Error', { level: LEVEL.info, status: 500 }],
    ['uvicorn error', 'ERROR:    Exception in ASGI application', { level: LEVEL.error, message: 'Exception in ASGI application' }],
    ['gunicorn', '[2026-11-22 02:00:00 +0000] [7] [CRITICAL] WORKER TIMEOUT (pid:12)', { level: LEVEL.fatal, ts: Date.UTC(2026, 10, 22, 2, 0, 0) }],
    ['Node / winston simple', '2026-11-22T02:00:00.123Z error: unhandled rejection', { level: LEVEL.error, ts: T, message: 'unhandled rejection' }],
    ['log4j', '2026-11-22 02:00:00.123 ERROR [main] c.a.Service - failed', { level: LEVEL.error }],
    ['Go log', '2026/11/22 02:00:00 WARN cache miss storm', { level: LEVEL.warn }],
    // BGL/Thunderbird: an alert tag, then epoch seconds
    ['Thunderbird', '- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed for user root', { ts: 1131566461000 }],
    ['BGL alert', 'KERNDTLB 1118536327 2005.06.11 R30-M0-N9-C:J16-U01 2005-06-11-17.32.07.581048 R30-M0-N9-C:J16-U01 RAS KERNEL FATAL data TLB error interrupt', { ts: 1118536327000, level: LEVEL.fatal }],
    ['BGL', '- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected', { level: LEVEL.info }],
    // HPC: record id, node, component, state, epoch seconds, flag, then the message
    ['HPC', '2567354 node-147 node status 1074098611 1 not responding', { ts: 1074098611000, message: '1 not responding' }],
    ['not HPC', 'order 1700000000 failed', { message: 'order 1700000000 failed' }],
    // OpenStack: a file name, then the time
    ['file name first', 'nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server [req-38101a0b-2096-447d-96ea-a692162415ae - - -] GET /v2', { ts: Date.UTC(2017, 4, 16) + 8 + new Date(2017, 4, 16, 12).getTimezoneOffset() * 60_000, level: LEVEL.info }],
    // a level word deep in a message is not the record's level
    ['plain words', 'backup of the user accounts database finished with one error', { level: LEVEL.error }],
  ]
  for (const [name, line, want] of cases) {
    it(name, () => {
      const ev = newEvent(0, 1)
      plainParser.parse(line, ev)
      const { ts, ...rest } = want
      expect(ev).toMatchObject(rest)
      if (ts === ts && ts !== undefined) expect(ev.ts).toBe(ts)
    })
  }
  it('Python asctime without zone is local time', () => {
    const ev = newEvent(0, 1)
    plainParser.parse('2026-11-22 02:00:00,123 INFO x: y', ev)
    expect(ev.ts).toBe(new Date(2026, 10, 22, 2, 0, 0, 123).getTime())
  })
  it('nginx combined with request time', () => {
    const line = '10.0.0.1 - - [22/Nov/2026:02:00:00 +0000] "POST /api/orders?id=7 HTTP/1.1" 503 12 "-" "curl/8.0" 0.250'
    const [ev] = parseWith([line])
    expect(ev).toMatchObject({ status: 503, level: LEVEL.error, message: 'POST /api/orders 503 Service Unavailable', ts: Date.UTC(2026, 10, 22, 2), durationMs: 250 })
  })
  it('Apache common', () => {
    const ev = newEvent(0, 1)
    accessParser.parse('127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326', ev)
    expect(ev).toMatchObject({ status: 200, level: LEVEL.info, ts: Date.UTC(2000, 9, 10, 20, 55, 36) })
  })
  it('syslog RFC 3164 and 5424', () => {
    const a = newEvent(0, 1)
    syslogParser.parse('<11>Nov 22 02:00:00 web1 api[123]: upstream timed out', a)
    expect(a).toMatchObject({ service: 'api', level: LEVEL.error, message: 'upstream timed out' })
    const b = newEvent(0, 1)
    syslogParser.parse('<165>1 2026-11-22T02:00:00.123Z web1 billing 99 ID47 - charge ok', b)
    expect(b).toMatchObject({ service: 'billing', level: LEVEL.info, ts: T, message: 'charge ok' })
  })
  it('detects the format of a source from its first lines', () => {
    expect(detect(['{"level":30,"msg":"a"}', '{"level":50,"msg":"b"}']).name).toBe('json')
    expect(detect(['time=1 level=info msg=a', 'time=2 level=warn msg=b']).name).toBe('logfmt')
    expect(detect(['1.2.3.4 - - [22/Nov/2026:02:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "x"']).name).toBe('access')
    expect(detect(['Nov 22 02:00:00 h sshd[1]: a', 'Nov 22 02:00:01 h sshd[1]: b']).name).toBe('syslog')
    expect(detect(['2026-11-22 02:00:00,1 INFO a', 'Traceback (most recent call last):', '  File "x", line 1, in y', 'ValueError: z']).name).toBe('timestamped')
    expect(detect(['hello', 'world']).name).toBe('plain')
  })
})

describe('timestamps', () => {
  it('reads the common shapes', () => {
    expect(leadingTime('2026-11-22T02:00:00.123Z x')).toBe(T)
    expect(leadingTime('2026-11-22T03:00:00.123+01:00 x')).toBe(T)
    expect(leadingTime('[2026-11-22 02:00:00.123Z] x')).toBe(T)
    expect(timeValue(T / 1000)).toBe(T)
    expect(timeValue(T)).toBe(T)
    expect(timeValue('2026-11-22T02:00:00.123Z')).toBe(T)
    expect(Number.isNaN(leadingTime('no time here'))).toBe(true)
  })
  it('syslog times of one minute (cached) read as the first one did; a year after the time is Apache', () => {
    const first = leadingTime('Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown')
    const next = leadingTime('Jun 14 15:16:42 combo sshd(pam_unix)[19940]: check pass; user unknown')
    expect(next - first).toBe(41_000)
    const d = new Date(first)
    expect([d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()]).toEqual([5, 14, 15, 16, 1])
    // the same minute with a year after it is an Apache error-log time, not a cached syslog one
    expect(new Date(leadingTime('Jun 14 15:16:05 2005] [error] x')).getFullYear()).toBe(2005)
    expect(leadingTime('Jun 14 15:17:00 combo x') - first).toBe(59_000)
  })
  it('property: any ISO instant round-trips, with or without the minute cache', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 0, 1) }), fc.integer({ min: 0, max: 59_999 }), (base, delta) => {
        const a = new Date(base).toISOString()
        const b = new Date(base + delta).toISOString()
        expect(leadingTime(a)).toBe(base)
        expect(leadingTime(b)).toBe(base + delta)
        expect(leadingTime(`${a.slice(0, -1)}+00:00 tail`)).toBe(base)
      }),
      { numRuns: 300 },
    )
  })
})

describe('parsers never throw and fill a message (property)', () => {
  const parsers = [jsonParser(['{"level":"info","msg":"x","time":1}']), logfmtParser, plainParser, timestampedParser, accessParser, syslogParser]
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        for (const p of parsers) {
          const ev = newEvent(0, 1)
          expect(() => p.parse(s, ev)).not.toThrow()
          expect(typeof ev.message).toBe('string')
          expect(() => p.quick?.(s)).not.toThrow()
          expect(() => p.isStart(s)).not.toThrow()
        }
      }),
      { numRuns: 500 },
    )
  })
  it('on arbitrary JSON objects', () => {
    const p = jsonParser()
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const ev = newEvent(0, 1)
        expect(() => p.parse(JSON.stringify(v), ev)).not.toThrow()
      }),
      { numRuns: 300 },
    )
  })
  it('logfmt round-trips generated key/values', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/)
    const value = fc.string({ maxLength: 20 }).filter((s) => !/[\\\n\r]/.test(s))
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, value), { minLength: 2, maxLength: 6, selector: (t) => t[0] }), (pairs) => {
        const line = pairs.map(([k, v]) => `${k}=${/^[^\s"=]+$/.test(v) ? v : JSON.stringify(v)}`).join(' ')
        const o = parseLogfmt(line)!
        for (const [k, v] of pairs) expect(o[k]).toBe(v)
      }),
      { numRuns: 300 },
    )
  })
})

describe('fromFields key plans (cached per record shape)', () => {
  const fill = (o: Record<string, unknown>): LogEvent => {
    const ev = newEvent(0, 1)
    fromFields(o, ev)
    return ev
  }
  it('reads flat and nested keys the same on a shape seen before', () => {
    for (let i = 0; i < 2; i++) {
      const a = fill({ log: { level: 'warn' }, message: 'm1', 'service.name': 'api', err: { stack: 'TypeError: x\n    at f (a.js:1:1)' } })
      expect([a.level, a.message, a.service, a.stack]).toEqual([LEVEL.warn, 'm1', 'api', 'TypeError: x\n    at f (a.js:1:1)'])
      const b = fill({ 'log.level': 'error', msg: 'm2', service: { name: 'nested' }, error: { type: 'E', message: 'boom' } })
      expect([b.level, b.message, b.service, b.traceId]).toEqual([LEVEL.error, 'm2', 'nested', ''])
      expect(fill({ 'error.type': 'E', 'error.message': 'boom' }).stack).toBe('E: boom')
    }
  })
  it('keeps shapes apart whose joined key names collide', () => {
    // ['a\0level', 'msg'] and ['a', 'level\0msg'] join to the same text
    expect(fill({ 'a\u0000level': 'x', msg: 'one' }).message).toBe('one')
    const ev = fill({ a: 1, 'level\u0000msg': 'two' })
    expect(ev.message).toBe('')
    expect(fill({ 'a\u0000level': 'x', msg: 'three' }).message).toBe('three')
  })
})

describe('the timestamped fast path', () => {
  it('reads level, time and message start as the header scan does', () => {
    const lines = [
      '2026-11-22 01:00:00,001 INFO uvicorn.access: 10.0.0.1 - "GET / HTTP/1.1" 200',
      '2026-11-22 01:00:00,001 ERROR app.worker: task failed',
      '2026-11-22 01:00:00,001 WARNING  - | app: spaced',
      '2026-11-22 01:00:00,001 ERROR',
      '2026-11-22 01:00:00,001 ERROR:root:python default',
      '2026-11-22 01:00:00,001 [ERROR] bracketed',
      '2026-11-22 01:00:00,001 GET /x 200',
      '2026-11-22 01:00:00,001 I 1234 short level',
      '2026-11-22T01:00:00.001Z DEBUG z',
      '2026-11-22 01:00:00,001  INFO two spaces',
      'Nov 22 01:00:00 host sshd[1]: ERROR looks like a level',
      '2026-11-22 01:00:00,001 INFORMATION long word',
      '2026-11-22 01:00:00,001 Info mixed case',
    ]
    for (const l of lines) {
      const text = `xx\n${l}\nyy`
      const a = 3
      const b = 3 + l.length
      const fast = timestampedParser.scanAt!(text, a, b)
      const got = [fast, quick.ts, quick.msg]
      const slow = plainParser.quickAt!(text, a, b)
      expect(got, l).toEqual([slow, quick.ts, quick.msg])
    }
  })
})
