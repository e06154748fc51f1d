/**
 * A big file read in ranges side by side gives the Analysis of a single pass: the same totals,
 * groups (ids, counts, examples, per-minute counts), known errors and markers, on generated inputs
 * whose cut points fall inside tracebacks, with filters, known errors, CRLF, invalid UTF-8 and
 * binary lines. Inputs where ranges cannot be exact (gzip, no timestamps) are read in one pass.
 * The worker is the built one (dist/logs/worker.js): run `npm run build` first.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyze, type Analysis, type AnalyzeOptions } from './analyze.js'
import { findSplits } from './parallel.js'
import { timestampedParser } from './parse/plain.js'
import { analysisData } from './testing/analysis-data.js'
import { generate, type GenFormat } from './testing/generate.js'
import { LEVEL } from './types.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'medic-parallel-test-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function gen(format: GenFormat, events: number, seed = 5): string {
  let text = ''
  generate({ format, events, seed, errorShare: 0.12 }, (t) => (text += t))
  return text
}

function write(name: string, data: string | Buffer): string {
  const p = join(dir, name)
  writeFileSync(p, data)
  return p
}

async function both(file: string | string[], extra: Partial<AnalyzeOptions> = {}, jobs = 2) {
  const sources = (Array.isArray(file) ? file : [file]).map((f) => ({ file: f }))
  const serial = await analyze({ sources, cwd: dir, jobs: 1, ...extra })
  const ranged = await analyze({ sources, cwd: dir, jobs, parallelMinBytes: 1, ...extra })
  return { serial, ranged }
}

async function expectSame(file: string | string[], extra: Partial<AnalyzeOptions> = {}, jobs = 2): Promise<Analysis> {
  const { serial, ranged } = await both(file, extra, jobs)
  expect(analysisData(ranged)).toEqual(analysisData(serial))
  return ranged
}

describe('ranges side by side give the single pass', () => {
  it('Python logging with tracebacks, 2 and 5 ranges, cuts searched inside tracebacks', async () => {
    const text = gen('plain', 60_000)
    const f = write('plain.log', text)
    const two = await expectSame(f)
    expect(two.sources[0].ranges).toBe(2)
    expect(two.groups.length).toBeGreaterThan(5)
    expect(two.known.length).toBeGreaterThan(2)
    const five = await expectSame(f, {}, 5)
    expect(five.sources[0].ranges).toBe(5)
    // the targets (size·k/n) land inside multi-line records too: the cuts move to record starts
    const size = Buffer.byteLength(text)
    const cuts = findSplits(f, size, timestampedParser, 9)
    expect(cuts.length).toBe(8)
    for (const c of cuts) expect(text.slice(c, c + 4)).toMatch(/^\d{4}/)
  })

  it('a traceback across the target offset', async () => {
    // one long traceback straddles the middle of the file
    const head = gen('plain', 14_000, 7)
    const frames = Array.from({ length: 40_000 }, (_, i) => `  File "/app/app/deep.py", line ${i}, in f${i % 7}\n    g()`).join('\n')
    const tb = `2026-11-22 09:00:00,000 ERROR app.deep: recursion\nTraceback (most recent call last):\n${frames}\nRecursionError: maximum recursion depth exceeded\n`
    const f = write('straddle.log', head + tb + gen('plain', 14_000, 8).replace(/^2026-11-22 0/gm, '2026-11-22 1'))
    const a = await expectSame(f)
    expect(a.sources[0].ranges).toBe(2)
  })

  it('pino JSON with --level info (every info event grouped), 3 ranges', async () => {
    const f = write('json.log', gen('json', 30_000))
    const a = await expectSame(f, { groupLevel: LEVEL.info }, 3)
    expect(a.sources[0].ranges).toBe(3)
  })

  it('logfmt', async () => {
    expect((await expectSame(write('logfmt.log', gen('logfmt', 40_000)))).sources[0].ranges).toBe(2)
  })

  it('--since/--until and --service', async () => {
    const f = write('json-f.log', gen('json', 30_000, 9))
    const t0 = Date.UTC(2026, 10, 22, 1, 5)
    const a = await expectSame(f, { since: t0, until: t0 + 10 * 60_000 })
    expect(a.filtered).toBeGreaterThan(0)
    const b = await expectSame(f, { service: 'api' })
    expect(b.totals.events).toBeGreaterThan(0)
    const c = await expectSame(f, { service: 'nope' })
    expect(c.totals.events).toBe(0)
  })

  it('CRLF line ends, invalid UTF-8 and binary lines', async () => {
    const lines = gen('plain', 40_000, 12).replace(/\n/g, '\r\n').split('\r\n')
    const parts: Buffer[] = []
    lines.forEach((l, i) => {
      parts.push(Buffer.from(l + (i < lines.length - 1 ? '\r\n' : '')))
      if (i % 997 === 0) parts.push(Buffer.from([0x32, 0x30, 0xff, 0xfe, 0x20, 0x45, 0x52, 0x52, 0x0d, 0x0a]))
      if (i % 1999 === 0) parts.push(Buffer.from('\u0000\u0001\u0002binary\u0000\r\n'))
    })
    const a = await expectSame(write('crlf.log', Buffer.concat(parts)))
    expect(a.sources[0].ranges).toBe(2)
    expect(a.sources[0].problems.invalidUtf8Lines).toBeGreaterThan(0)
    expect(a.sources[0].problems.binaryLines).toBeGreaterThan(0)
  })

  it('several files, each in ranges, and a small one between', async () => {
    const a = write('m1.log', gen('plain', 30_000, 21))
    const b = write('m2.log', 'ERROR one small line\n')
    const c = write('m3.log', gen('plain', 30_000, 22))
    const r = await expectSame([a, b, c])
    expect(r.sources.map((s) => s.ranges ?? 1)).toEqual([2, 1, 2])
  })
})

describe('known errors with more details than are kept one by one', () => {
  it('a range whose known error overflows is read on the main thread: the same entries as one pass', async () => {
    let text = gen('plain', 20_000)
    const tail: string[] = []
    for (let i = 0; i < 400; i++) tail.push(`2026-11-22 03:00:${String(i % 60).padStart(2, '0')},000 ERROR cache: connect ECONNREFUSED 10.1.${i % 250}.${(i / 250) | 0}:6379`)
    text += tail.join('\n') + '\n'
    const a = await expectSame(write('many-details.log', text))
    expect(a.known.filter((h) => h.spec.id === 'connection-refused').length).toBeLessThanOrEqual(21)
  })

  it('details kept before a range and folded in it: the entries, and the example of `…`, of one pass', async () => {
    // the first range keeps 15 hosts one by one; the second adds 10: 5 more are kept, the rest
    // fold into `…`, whose example is the first event with a request id among them (host 6's
    // first event has none, host 7's has one, host 6's later one too): a merge by host would
    // pick host 6's
    const ts = (m: number, s: number) => `2026-11-22 0${m}:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')},000`
    const refused = (t: string, host: number, id = '') => `${t} ERROR cache: connect ECONNREFUSED 10.9.0.${host}:6379${id ? ` [request_id=${id}]` : ''}`
    const head = gen('plain', 20_000).trimEnd().split('\n')
    const firstHalf = head.slice(0, 10_000)
    for (let h = 0; h < 15; h++) firstHalf.push(refused(ts(3, h), h))
    const second = head.slice(10_000)
    const extra = [refused(ts(4, 0), 100), refused(ts(4, 1), 101), refused(ts(4, 2), 102), refused(ts(4, 3), 103), refused(ts(4, 4), 104)]
    extra.push(refused(ts(4, 5), 105), refused(ts(4, 6), 106, 'req-aaaa0001'), refused(ts(4, 7), 105, 'req-aaaa0002'), refused(ts(4, 8), 107), refused(ts(4, 9), 108), refused(ts(4, 10), 109))
    const text = [...firstHalf, ...second, ...extra].join('\n') + '\n'
    const a = await expectSame(write('folded-details.log', text))
    const folded = a.known.find((h) => h.spec.id === 'connection-refused' && h.detail === '…')
    expect(folded?.example?.traceId).toBe('req-aaaa0001')
  })
})

describe('progress while reading in ranges', () => {
  it('counts up to the file size, never past it, with lines read so far', async () => {
    const f = write('progress.log', gen('plain', 40_000))
    const seen: { bytes: number; totalBytes: number; lines: number }[] = []
    const a = await analyze({ sources: [{ file: f }], cwd: dir, jobs: 2, parallelMinBytes: 1, onProgress: (p) => seen.push(p) })
    expect(a.sources[0].ranges).toBe(2)
    expect(seen.length).toBeGreaterThan(1)
    const total = seen[0].totalBytes
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i].bytes).toBeGreaterThanOrEqual(seen[i - 1].bytes)
      expect(seen[i].bytes).toBeLessThanOrEqual(total)
    }
    const last = seen[seen.length - 1]
    expect(last.bytes).toBeGreaterThan(total * 0.9)
    // the estimate of lines read so far ends near the real count
    expect(last.lines).toBeGreaterThan(a.sources[0].lines * 0.8)
    expect(last.lines).toBeLessThan(a.sources[0].lines * 1.2)
  })
})

describe('read in one pass', () => {
  it('a file without timestamps (no exact cut)', async () => {
    const text = gen('plain', 30_000, 3).replace(/^2026-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /gm, '')
    const a = await expectSame(write('untimed.log', text))
    expect(a.sources[0].ranges ?? 1).toBe(1)
  })

  it('.gz', async () => {
    const a = await expectSame(write('z.log.gz', gzipSync(gen('plain', 30_000, 4))))
    expect(a.sources[0].ranges ?? 1).toBe(1)
  })

  it('below the size threshold, and with jobs 1', async () => {
    const f = write('small.log', gen('plain', 30_000, 6))
    expect((await analyze({ sources: [{ file: f }], cwd: dir, jobs: 2 })).sources[0].ranges ?? 1).toBe(1)
    expect((await analyze({ sources: [{ file: f }], cwd: dir, jobs: 1, parallelMinBytes: 1 })).sources[0].ranges ?? 1).toBe(1)
  })

  it('events streamed in order (emit records, trace ids)', async () => {
    const f = write('emit.log', gen('plain', 30_000, 6))
    const a = await analyze({ sources: [{ file: f }], cwd: dir, jobs: 2, parallelMinBytes: 1, groupAll: true, onEvent: () => {} })
    expect(a.sources[0].ranges ?? 1).toBe(1)
  })
})
