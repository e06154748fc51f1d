/**
 * Collector prefixes: `docker compose logs` and `kubectl logs --prefix` output read as the apps
 * wrote it — own timestamps, stacks as one event — with the service taken from the prefix.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyze } from './analyze.js'
import type { LogEvent } from './types.js'
import { detectPrefix } from './prefix.js'
import { generate } from './testing/generate.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'medic-prefix-test-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function events(name: string, text: string): Promise<{ evs: LogEvent[]; format: string }> {
  const f = join(dir, name)
  writeFileSync(f, text)
  const evs: LogEvent[] = []
  const a = await analyze({ sources: [{ file: f }], cwd: dir, groupAll: true, onEvent: (ev) => evs.push(ev) })
  return { evs, format: a.sources[0].format }
}

describe('collector prefixes', () => {
  it('docker compose logs: times, levels and services from each app; a traceback is one event', async () => {
    const text = [
      'api-1     | 2026-11-22 02:00:00,123 INFO app: start',
      'worker-1  | 2026-11-22 02:00:00,500 INFO worker: ready',
      'api-1     | 2026-11-22 02:00:01,123 ERROR app.api: request failed',
      'api-1     | Traceback (most recent call last):',
      'api-1     |   File "/app/app/api/users.py", line 41, in get_user',
      'api-1     |     return serialize(user)',
      "api-1     | KeyError: 'email'",
      'worker-1  | 2026-11-22 02:00:02,123 ERROR worker: boom id=2',
    ].join('\n') + '\n'
    const { evs, format } = await events('compose.log', text)
    expect(format).toBe('compose: timestamped')
    expect(evs.map((e) => [e.line, e.service, new Date(e.ts).toISOString().slice(11, 19)])).toEqual([
      [1, 'api', '02:00:00'],
      [2, 'worker', '02:00:00'],
      [3, 'api', '02:00:01'],
      [8, 'worker', '02:00:02'],
    ])
    expect(evs[2].exception?.type).toBe('KeyError')
    expect(evs[2].exception?.frames[0]?.func).toBe('get_user')
  })

  it('apps writing at once: a traceback split by another app\'s lines is still one event, events in the order they began', async () => {
    const text = [
      'api-1     | 2026-11-22 02:00:01,123 ERROR app.api: request failed',
      'worker-1  | 2026-11-22 02:00:01,200 INFO worker: tick 1',
      'api-1     | Traceback (most recent call last):',
      'worker-1  | 2026-11-22 02:00:01,300 ERROR worker: job 7 failed',
      'api-1     |   File "/app/app/api/users.py", line 41, in get_user',
      'worker-1  | Traceback (most recent call last):',
      'api-2     | 2026-11-22 02:00:01,350 WARNING app.api: slow request',
      'api-1     |     return serialize(user)',
      'worker-1  |   File "/app/app/worker/jobs.py", line 9, in run',
      "api-1     | KeyError: 'email'",
      'worker-1  |     charge(order)',
      'worker-1  | TimeoutError: charge timed out',
      'api-1     | 2026-11-22 02:00:02,000 INFO app: ok',
    ].join('\n') + '\n'
    const { evs } = await events('interleaved.log', text)
    expect(evs.map((e) => [e.line, e.service, e.exception?.type ?? ''])).toEqual([
      [1, 'api', 'KeyError'],
      [2, 'worker', ''],
      [4, 'worker', 'TimeoutError'],
      [7, 'api', ''],
      [13, 'api', ''],
    ])
    expect(evs[0].exception?.frames[0]?.func).toBe('get_user')
    expect(evs[2].exception?.frames[0]?.func).toBe('run')
    expect(evs[0].raw.split('\n')).toHaveLength(5)
  })

  it('interleaved apps through the block fast path: every traceback whole, counts as without interleaving', async () => {
    // two apps' logs, each with tracebacks, interleaved line by line (as `docker compose logs` may)
    const gen = (seed: number) => {
      let t = ''
      generate({ format: 'plain', events: 6_000, seed }, (x) => (t += x))
      return t.trimEnd().split('\n')
    }
    const a = gen(12)
    const b = gen(13)
    const mixed: string[] = []
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i < a.length) mixed.push(`api-1     | ${a[i]}`)
      if (i < b.length) mixed.push(`billing-1 | ${b[i]}`)
    }
    const f = join(dir, 'mixed.log')
    writeFileSync(f, mixed.join('\n') + '\n')
    const fa = join(dir, 'a.log')
    const fb = join(dir, 'b.log')
    writeFileSync(fa, a.join('\n') + '\n')
    writeFileSync(fb, b.join('\n') + '\n')
    const [m, one, two] = await Promise.all([f, fa, fb].map((x) => analyze({ sources: [{ file: x }], cwd: dir, jobs: 1 })))
    expect(m.sources[0].format).toBe(`compose: ${one.sources[0].format}`)
    expect(m.sources[0].records).toBe(one.sources[0].records + two.sources[0].records)
    for (const k of ['events', 'errors', 'warnings'] as const) expect(m.totals[k]).toBe(one.totals[k] + two.totals[k])
    const exceptions = (x: typeof m) => x.groups.filter((g) => g.kind === 'exception').reduce((n, g) => n + g.count, 0)
    expect(exceptions(m)).toBe(exceptions(one) + exceptions(two))
    expect(exceptions(m)).toBeGreaterThan(100)
  })

  it('an app whose record stays open while others write thousands of lines: its record is closed, nothing waits without bound', async () => {
    const lines = ['api-1     | 2026-11-22 02:00:00,000 ERROR app: stuck', 'api-1     | Traceback (most recent call last):']
    for (let i = 0; i < 10_000; i++) lines.push(`worker-1  | 2026-11-22 02:00:${String(Math.floor(i / 200)).padStart(2, '0')},${String(i % 1000).padStart(3, '0')} ERROR worker: job ${i} failed`)
    lines.push('api-1     |   File "/app/app/x.py", line 1, in f')
    const { evs } = await events('quiet.log', lines.join('\n') + '\n')
    expect(evs).toHaveLength(10_002)
    expect(evs[0].line).toBe(1)
    expect(evs[0].raw).toContain('Traceback')
    for (let i = 1; i < evs.length; i++) expect(evs[i].line).toBeGreaterThan(evs[i - 1].line)
  })

  it('a big compose log reads like the same log without prefixes (block fast path, tracebacks across blocks)', async () => {
    let text = ''
    generate({ format: 'plain', events: 20_000, seed: 11 }, (t) => (text += t))
    const raw = join(dir, 'raw.log')
    const prefixed = join(dir, 'prefixed.log')
    writeFileSync(raw, text)
    writeFileSync(prefixed, text.replace(/^/gm, 'api-1  | ').replace(/api-1 {2}\| $/, ''))
    const [a, b] = await Promise.all([raw, prefixed].map((f) => analyze({ sources: [{ file: f, service: 'api' }], cwd: dir, jobs: 1 })))
    expect(b.sources[0].format).toBe(`compose: ${a.sources[0].format}`)
    expect(b.totals.byLevel).toEqual(a.totals.byLevel)
    expect(b.totals.http).toEqual(a.totals.http)
    expect(b.sources[0].records).toBe(a.sources[0].records)
    const summary = (x: typeof a) => x.groups.map((g) => `${g.id}:${g.count}:${g.first}:${g.last}`).sort()
    expect(summary(b)).toEqual(summary(a))
  })

  it('kubectl logs --prefix: the Deployment name is the service', async () => {
    const text = ['[pod/api-7d9f8c6b5-x2zqk/app] 2026-11-22T02:00:00.123Z error: boom 1', '[pod/api-7d9f8c6b5-x2zqk/app] 2026-11-22T02:00:01.123Z info: ok'].join('\n') + '\n'
    const { evs } = await events('kubectl.log', text)
    expect(evs.map((e) => [e.service, e.ts, e.level])).toEqual([
      ['api', Date.UTC(2026, 10, 22, 2, 0, 0, 123), 50],
      ['api', Date.UTC(2026, 10, 22, 2, 0, 1, 123), 30],
    ])
  })

  it('a level column before a bar is not a compose prefix; plain "a | b" lines are not either', () => {
    expect(detectPrefix(['INFO  | started', 'ERROR | failed'])).toBeNull()
    expect(detectPrefix(['20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579'])).toBeNull()
    expect(detectPrefix(['api-1  | hello', 'api-1  |'])?.kind).toBe('compose')
  })
})
