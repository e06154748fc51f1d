/** `medic logs` and `medic trace` driven in-process through main(), as a user runs them. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RID, writeThreeServices } from '../../logs/testing/fixtures.js'
import { generate, groupingAccuracy } from '../../logs/testing/generate.js'
import type { CliIO } from '../io.js'
import { main } from '../main.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'medic-cli-logs-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function medic(args: string[], stdinText?: string): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const stdin = new PassThrough()
  stdin.end(stdinText ?? '')
  const io: CliIO = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), stdin, stdoutIsTTY: false, stderrIsTTY: false, env: {}, cwd: dir }
  const code = await main(['node', 'medic', ...args], io)
  return { code, out, err }
}

/** 40 minutes of traffic; the last 10 minutes bring a new exception and a 10 % error rate. */
function incidentLog(): string {
  const lines: string[] = []
  const ts = (m: number, s: number) => new Date(Date.UTC(2026, 10, 22, 1, m, s)).toISOString()
  for (let m = 0; m < 40; m++) {
    for (let s = 0; s < 60; s += 6) lines.push(JSON.stringify({ level: 30, time: ts(m, s), name: 'api', reqId: `r${m}-${s}`, msg: `GET /api/items/${s} done in ${s + 3}ms` }))
    if (m >= 30) {
      lines.push(JSON.stringify({ level: 50, time: ts(m, 30), name: 'api', reqId: `bad-${m}`, msg: 'request failed', err: { type: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:6379', stack: `Error: connect ECONNREFUSED 127.0.0.1:6379\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)\n    at RedisCache.get (/app/src/cache.js:${m}:7)` } }))
    }
  }
  return lines.join('\n') + '\n'
}

describe('medic logs', () => {
  it('--json: groups, known errors, findings and a CRITICAL exit code', async () => {
    const f = join(dir, 'api.jsonl')
    writeFileSync(f, incidentLog())
    const { code, out } = await medic(['logs', f, '--json'])
    const doc = JSON.parse(out)
    expect(doc.schemaVersion).toBe(1)
    expect(doc.totals.events).toBe(410)
    expect(doc.totals.errors).toBe(10)
    expect(doc.groups[0]).toMatchObject({ kind: 'exception', count: 10, title: 'Error at src/cache.js:RedisCache.get', known: ['connection-refused'] })
    expect(doc.groups[0].example.traceId).toMatch(/^bad-/)
    expect(doc.knownErrors[0]).toMatchObject({ id: 'connection-refused', detail: 'Redis at 127.0.0.1:6379', count: 10 })
    const ids = doc.findings.map((x: { id: string }) => x.id).sort()
    expect(ids).toEqual(['logs.error-rate', 'logs.known-error', 'logs.new-error-group', 'logs.unhandled-exception'])
    expect(doc.findings.find((x: { id: string }) => x.id === 'logs.error-rate').severity).toBe('critical')
    expect(code).toBe(2)
  })

  it('text output shows the group with its sparkline and the known error fix', async () => {
    const f = join(dir, 'api2.jsonl')
    writeFileSync(f, incidentLog())
    const { out } = await medic(['logs', f, '--no-color'])
    expect(out).toContain('Error at src/cache.js:RedisCache.get')
    expect(out).toMatch(/known: connection-refused/)
    expect(out).toMatch(/[▁▂▃▄▅▆▇█]/)
    expect(out).toContain('fix:')
  })

  it('--emit records: one JSON line per event, in input order, every event with a group', async () => {
    let text = ''
    const truth: string[] = []
    generate({ format: 'plain', events: 2000, seed: 3 }, (t) => (text += t), (l) => truth.push(l))
    const f = join(dir, 'gen.log')
    writeFileSync(f, text)
    const { out, code } = await medic(['logs', f, '--emit', 'records'])
    const recs = out.trim().split('\n').map((l) => JSON.parse(l))
    expect(recs).toHaveLength(2000)
    expect(recs.every((r) => /^[0-9a-f]{10}$/.test(r.group))).toBe(true)
    expect(recs.map((r) => r.line)).toEqual([...recs.map((r) => r.line)].sort((a, b) => a - b))
    expect(groupingAccuracy(recs.map((r) => r.group), truth)).toBeGreaterThanOrEqual(0.98)
    expect(recs[0].source).toBe(f)
    expect([0, 1, 2]).toContain(code)
  })

  it('reads stdin when no source is given, and --level/--top/--group narrow the output', async () => {
    const text = ['WARNING:app:disk almost full on /var', 'ERROR:app:write failed id=1', 'ERROR:app:write failed id=2', 'INFO:app:fine'].join('\n') + '\n'
    const all = JSON.parse((await medic(['logs', '--json', '--level', 'info'], text)).out)
    expect(all.groups.map((g: { count: number }) => g.count).sort()).toEqual([1, 1, 2])
    const top = JSON.parse((await medic(['logs', '--json', '--top', '1'], text)).out)
    expect(top.groups).toHaveLength(1)
    const one = JSON.parse((await medic(['logs', '--json', '--group', top.groups[0].id], text)).out)
    expect(one.groups.map((g: { id: string }) => g.id)).toEqual([top.groups[0].id])
  })

  it('exit 3 and a reason when no source can be read; usage errors are 3 too', async () => {
    const r = await medic(['logs', join(dir, 'missing.log')])
    expect(r.code).toBe(3)
    expect(r.err).toContain('no such file')
    expect((await medic(['logs', join(dir, 'x.log'), '--since', 'yesterday-ish'])).code).toBe(3)
    expect((await medic(['logs', join(dir, 'x.log'), '--input-format', 'yaml'])).code).toBe(3)
  })
})

describe('medic trace', () => {
  it('prints the request across three services with the failing step; exit 2', async () => {
    const files = writeThreeServices(dir)
    const r = await medic(['trace', `00-${RID}-00f067aa0ba902b7-01`, ...files, '--no-color'])
    expect(r.code).toBe(2)
    expect(r.out).toContain('7 events across 3 services (api, worker, billing)')
    expect(r.out).toMatch(/gap 2\.24 s/)
    expect(r.out).toMatch(/↑ failing step \(billing/)
    const j = JSON.parse((await medic(['trace', RID, ...files, '--json'])).out)
    expect(j.failingStep).toBe(5)
    expect(j.steps.map((s: { service: string }) => s.service)).toEqual(['api', 'api', 'worker', 'worker', 'billing', 'billing', 'api'])
  })
  it('exit 1 when nothing carries the id', async () => {
    const files = writeThreeServices(dir)
    const r = await medic(['trace', 'nobody-has-this', ...files])
    expect(r.code).toBe(1)
    expect(r.out).toContain('no event carries this id')
  })
})

describe('medic logs with medic.yaml', () => {
  it('reads logs: sources relative to the config file', async () => {
    const { mkdirSync } = await import('node:fs')
    const sub = join(dir, 'proj')
    mkdirSync(join(sub, 'var'), { recursive: true })
    writeFileSync(join(sub, 'var', 'app.log'), 'ERROR:app:boom id=1\nERROR:app:boom id=2\n')
    writeFileSync(join(sub, 'medic.yaml'), 'logs:\n  - { file: var/*.log, service: api }\n')
    const r = await medic(['logs', '--json', '--config', join(sub, 'medic.yaml')])
    const doc = JSON.parse(r.out)
    expect(doc.totals.errors).toBe(2)
    expect(doc.groups[0].services).toEqual(['api'])
  })
})
