/**
 * The WebAssembly scanner (assembly/scan.ts, built to dist/logs-scan.wasm by `npm run build`) counts
 * the commonest timestamped lines; every result must be the one of the JavaScript fast path. Inputs
 * are generated to sit on each rule's edge: minutes that change, fractions of any length, zones, a
 * second past 59, level words it knows and does not, needles (` 429`, RateLimit, utcnow), request
 * lines with good and bad statuses, start-up markers, tracebacks, blank lines, CRLF, and time and
 * level filters.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyze, type Analysis, type AnalyzeOptions } from './analyze.js'
import { fastScanner } from './fast-scan.js'
import { analysisData } from './testing/analysis-data.js'
import { generate as generateApp } from './testing/generate.js'
import { leadingTime } from './parse/time.js'
import { LEVEL } from './types.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'medic-fast-scan-test-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A small seeded generator (mulberry32): the same input for a seed on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = ['INFO', 'INFO', 'INFO', 'INFO', 'DEBUG', 'DEBUG', 'WARNING', 'ERROR', 'INF', 'NOTICE', 'VERBOSE', 'TRACE', 'CRITICAL', 'Info', 'INFOX', 'OK']
const MESSAGES = [
  'app.worker: job 17 started for tenant 4',
  'app.cache: cache hit for key user:42:profile',
  'uvicorn.access: 10.0.0.1:5123 - "GET /api/orders/7 HTTP/1.1" 200',
  'uvicorn.access: 10.0.0.1:5123 - "POST /api/orders HTTP/1.1" 503',
  'uvicorn.access: 10.0.0.1:5123 - "GET /x HTTP/1.1" 999',
  'uvicorn.access: 10.0.0.1:5123 - "GET /x HTTP/1.1" 099',
  'uvicorn.access: 10.0.0.1:5123 - "GET /x HTTP/1.1" 5030',
  'uvicorn.access: 10.0.0.1:5123 - "get /x HTTP/1.1" 404',
  'uvicorn.access: 10.0.0.1:5123 - "GET /x HTTP/1.1" 301a',
  'proxy: "upstream HTTP/2 stream reset" 502',
  'app.http: upstream answered 429 Too Many Requests',
  'app.http: upstream said 1429 items',
  'app.limits: RateLimitError from the provider',
  'app.limits: Limit reached for tenant 3',
  'py.warnings: datetime.utcnow() is deprecated',
  'Started server process [7]',
  'uvicorn: Application startup complete.',
  'app.db: Running migrations',
  'app: Listening on 0.0.0.0:8000',
  'Booting worker with pid: 12',
  'app.db: query executed in 45.4ms rows=443',
  '',
  '- | app: spaced',
]

const PLAIN = ['app.worker: job 17 started for tenant 4', 'app.cache: cache hit for key user:42:profile', 'app.db: query executed in 45.4ms rows=443', 'uvicorn.access: 10.0.0.1:5123 - "GET /api/orders/7 HTTP/1.1" 200']

/** Mostly plain INFO and DEBUG lines (runs the scanner counts), one line in five on an edge. */
function generate(seed: number, lines: number): string {
  const r = rng(seed)
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]
  const out: string[] = []
  let minute = 0
  let second = 0
  for (let i = 0; i < lines; i++) {
    if (r() < 0.01) minute += 1 + Math.floor(r() * 3)
    second = (second + Math.floor(r() * 3)) % 60
    const hh = String(1 + Math.floor(minute / 60)).padStart(2, '0')
    const mm = String(minute % 60).padStart(2, '0')
    const edge = r() < 0.2
    const ss = edge && r() < 0.02 ? String(60 + Math.floor(r() * 40)) : String(second).padStart(2, '0')
    const frac = edge ? pick([',123', ',001', '.5', '.123456', '', ',9999']) : ',123'
    const zone = edge && r() < 0.1 ? pick(['Z', '+02:00', ' +0000', ' UTC', '-0500']) : ''
    const t = `2026-11-22 ${hh}:${mm}:${ss}${frac}${zone}`
    if (!edge) {
      out.push(`${t} ${pick(['INFO', 'INFO', 'DEBUG'])} ${pick(PLAIN)}`)
      continue
    }
    const roll = r()
    if (roll < 0.05) out.push('')
    else if (roll < 0.15) out.push(`${t} ERROR app.api: request failed`, 'Traceback (most recent call last):', '  File "/app/x.py", line 3, in f', '    g()', 'ValueError: bad value')
    else if (roll < 0.2) out.push(`    continued detail ${i}`)
    else if (roll < 0.25) out.push(`${t} INFO app: with a carriage return\r`)
    else if (roll < 0.3) out.push(`[${t}] INFO app: bracketed`)
    else out.push(`${t} ${pick(WORDS)} ${pick(MESSAGES)}`)
  }
  return out.join('\n') + '\n'
}

async function expectSame(file: string, extra: Partial<AnalyzeOptions> = {}): Promise<Analysis> {
  const base = { sources: [{ file }], cwd: dir, jobs: 1, ...extra }
  const js = await analyze({ ...base, wasmScan: false })
  const before = fastScanner()!.counted
  const wasm = await analyze({ ...base, wasmScan: true })
  // most lines were counted there (else this compares JavaScript with itself)
  expect(fastScanner()!.counted - before).toBeGreaterThan(wasm.totals.events * 0.3)
  expect(analysisData(wasm)).toEqual(analysisData(js))
  return wasm
}

/** pino-style JSON lines, one in five on an edge of the JSON rules. */
function generateJson(seed: number, lines: number): string {
  const r = rng(seed)
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]
  const out: string[] = []
  let t = Date.UTC(2026, 10, 22, 1, 0, 0)
  const msgs = ['job 17 started for tenant 4', 'cache hit for key user:42:profile', 'Server listening at http://0.0.0.0:3000', 'Started worker', 'app: Listening on 8000', 'upstream said 429 Too Many Requests', 'RateLimitError from provider', 'datetime.utcnow() is deprecated', '10.0.0.1 - "GET /x HTTP/1.1" 503', 'plain words']
  for (let i = 0; i < lines; i++) {
    t += Math.floor(r() * 400)
    const msg = JSON.stringify(r() < 0.8 ? pick(msgs.slice(0, 2)) : pick(msgs))
    if (r() >= 0.2) {
      out.push(`{"level":${pick([30, 30, 20])},"time":${t},"pid":7,"hostname":"api-1","msg":${msg}}`)
      continue
    }
    const roll = r()
    if (roll < 0.05) out.push('')
    else if (roll < 0.1) out.push('not json at all')
    else if (roll < 0.2) out.push(`{"level":50,"time":${t},"msg":"boom","err":{"type":"Error","message":"boom","stack":"Error: boom\\n    at f (/app/a.js:1:1)"}}`)
    else if (roll < 0.25) out.push(`{"level":30,"time":${t},"msg":"with a carriage return"}\r`)
    else if (roll < 0.3) out.push(`{"time":${t},"level":30,"msg":"time first"}`)
    else if (roll < 0.35) out.push(`{"level":30,"pid":7,"time":${t},"msg":"pid between"}`)
    else if (roll < 0.4) out.push(`{"level":"info","time":${t},"msg":"string level"}`)
    else if (roll < 0.45) out.push(`{"level":${pick([35, 100, 5, 0, 60, 40])},"time":${t},"msg":"odd level"}`)
    else if (roll < 0.5) out.push(`{"level":30,"time":${Math.floor(t / 1000)},"msg":"seconds"}`)
    else if (roll < 0.55) out.push(`{"level":30,"time":${t / 1000},"msg":"fraction"}`)
    else if (roll < 0.6) out.push(`{"level":30,"time":"${new Date(t).toISOString()}","msg":"iso string"}`)
    else if (roll < 0.65) out.push(`{"level":30,"msg":"no time"}`)
    else if (roll < 0.7) out.push(`{"level":30,"time":${t},"statusCode":${pick([200, 503])},"msg":"request completed"}`)
    else if (roll < 0.75) out.push(`{"level":30,"time":${t},"status":"ok","statusText":"fine","msg":"status words"}`)
    else if (roll < 0.8) out.push(`{"level":30,"time":${t},"status_code":404,"msg":"not found"}`)
    else if (roll < 0.85) out.push(`{"level":30,"time":${t},"note":"msg\\":\\"inside","msg":${msg}}`)
    else if (roll < 0.9) out.push(`{"level": 30,"time": ${t},"msg":${msg}}`)
    else if (roll < 0.95) out.push(`{"level":30,"tmst":${t - 3_600_000},"time":${t},"msg":"another key of the same length first"}`)
    else out.push(`{"level":30,"time":${t},"hostname":"h"}`)
  }
  return out.join('\n') + '\n'
}

describe('the WebAssembly scanner', () => {
  it('is built and counts a run of plain lines (else the comparisons below prove nothing)', () => {
    const f = fastScanner()
    expect(f, 'dist/logs-scan.wasm: run `npm run build`').not.toBeNull()
    const block = ['2026-11-22 01:00:00,001 INFO a: one', '2026-11-22 01:00:01,002 DEBUG a: two', '2026-11-22 01:00:02,003 INFO a: three', '2026-11-22 01:00:03,004 INFO a: four'].join('\n')
    // the JavaScript side parses a line of the minute first (the scanner counts in that minute)
    expect(leadingTime(block, 0)).toBe(Date.UTC(2026, 10, 22, 1, 0, 0, 1))
    expect(f!.load(Buffer.from(block), LEVEL.warn, -Infinity, Infinity)).toBe(true)
    const next = f!.scan(0)
    // a line is counted when the next one starts a record; the block's last line is left to
    // JavaScript (only the line after it, in the next block, could tell)
    expect(f!.run.lines).toBe(3)
    expect(next).toBe(block.indexOf('2026-11-22 01:00:03'))
    expect([...f!.run.slots]).toEqual([0, 0, 1, 2, 0, 0, 0])
    expect(f!.run.first).toBe(Date.UTC(2026, 10, 22, 1, 0, 0, 1))
    expect(f!.run.last).toBe(Date.UTC(2026, 10, 22, 1, 0, 2, 3))
  })

  it('gives the JavaScript fast path\'s analysis, line for line, on edge-case inputs', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const f = join(dir, `edge-${seed}.log`)
      writeFileSync(f, generate(seed, 30_000))
      const a = await expectSame(f)
      expect(a.totals.events).toBeGreaterThan(20_000)
      expect(a.totals.http.requests).toBeGreaterThan(1000)
      expect(a.totals.http.s5xx).toBeGreaterThan(10)
      expect(a.markers.length).toBeGreaterThan(0)
    }
  })

  it('JSON lines: the JavaScript fast path\'s analysis on edge-case inputs, with filters', async () => {
    for (const seed of [21, 22, 23]) {
      const f = join(dir, `json-${seed}.log`)
      writeFileSync(f, generateJson(seed, 30_000))
      const a = await expectSame(f)
      expect(a.sources[0].format).toBe('json')
      expect(a.totals.events).toBeGreaterThan(20_000)
      expect(a.totals.http.requests).toBeGreaterThan(100)
    }
    const f = join(dir, 'json-21.log')
    await expectSame(f, { since: Date.UTC(2026, 10, 22, 1, 20), until: Date.UTC(2026, 10, 22, 1, 40, 30) })
    await expectSame(f, { groupLevel: LEVEL.fatal })
  })

  it('logs corrupted at random bytes (app logs of both formats): the same analysis', async () => {
    const alphabet = ' \t:,.-Z+0123456789{}"[]HTTP/429LimitutcnowSABLURMabcxyz\r'
    for (const [format, seed] of [['plain', 31], ['json', 32], ['plain', 33], ['json', 34]] as const) {
      let text = ''
      generateApp({ format, events: 15_000, seed }, (t) => (text += t))
      const bytes = Buffer.from(text, 'latin1')
      const r = rng(seed)
      // about one byte in 300 replaced by one the scanner's rules look at (never a newline)
      for (let i = 0; i < bytes.length; i++) if (r() < 0.003 && bytes[i] !== 10) bytes[i] = alphabet.charCodeAt(Math.floor(r() * alphabet.length))
      const f = join(dir, `corrupt-${seed}.log`)
      writeFileSync(f, bytes)
      await expectSame(f)
    }
  })

  it('with time and level filters', async () => {
    const f = join(dir, 'filters.log')
    writeFileSync(f, generate(9, 30_000))
    await expectSame(f, { since: Date.UTC(2026, 10, 22, 2, 20), until: Date.UTC(2026, 10, 22, 4, 40, 30) })
    // at debug every INFO line is grouped: the scanner counts only DEBUG ones
    const debug = await analyze({ sources: [{ file: f }], cwd: dir, jobs: 1, groupLevel: LEVEL.debug, wasmScan: false })
    expect(analysisData(await analyze({ sources: [{ file: f }], cwd: dir, jobs: 1, groupLevel: LEVEL.debug }))).toEqual(analysisData(debug))
    await expectSame(f, { groupLevel: LEVEL.fatal })
  })

  it('fractions of one to seven digits give the same milliseconds (filters cut at a line of each length)', async () => {
    const r = rng(41)
    const lines: string[] = []
    const times: { ms: number; digits: number }[] = []
    for (let i = 0; i < 20_000; i++) {
      const sec = Math.floor(i / 90)
      const digits = 1 + Math.floor(r() * 7)
      const frac = String(Math.floor(r() * 10 ** digits)).padStart(digits, '0')
      const mm = String(Math.floor(sec / 60)).padStart(2, '0')
      const ss = String(sec % 60).padStart(2, '0')
      lines.push(`2026-11-22 01:${mm}:${ss}${r() < 0.5 ? ',' : '.'}${frac} ${r() < 0.8 ? 'INFO' : 'DEBUG'} app: line ${i}`)
      // the milliseconds: the fraction's first three digits
      times.push({ ms: Date.UTC(2026, 10, 22, 1, 0, sec) + Number(frac.padEnd(3, '0').slice(0, 3)), digits })
    }
    const f = join(dir, 'fractions.log')
    writeFileSync(f, lines.join('\n') + '\n')
    for (let digits = 1; digits <= 7; digits++) {
      const at = times.findIndex((t, i) => i > 2000 && t.digits === digits)
      const to = times.findIndex((t, i) => i > 15_000 && t.digits === digits)
      const a = await expectSame(f, { since: times[at].ms, until: times[to].ms })
      expect(a.totals.first).toBe(times[at].ms)
      expect(a.totals.last).toBe(times[to].ms)
    }
  })

  it('in ranges side by side (each worker has its own scanner)', async () => {
    const f = join(dir, 'ranges.log')
    writeFileSync(f, generate(11, 60_000))
    const js = await analyze({ sources: [{ file: f }], cwd: dir, jobs: 1, wasmScan: false })
    const wasm = await analyze({ sources: [{ file: f }], cwd: dir, jobs: 2, parallelMinBytes: 1 })
    expect(wasm.sources[0].ranges).toBe(2)
    expect(analysisData(wasm)).toEqual(analysisData(js))
  })
})
