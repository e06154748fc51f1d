/** `medic logs` and `medic trace` driven in-process through main(), as a user runs them. */
import { spawn } from 'node:child_process'
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RID, writeThreeServices } from '../../logs/testing/fixtures.js'
import { generate, groupingAccuracy } from '../../logs/testing/generate.js'
import type { CliIO } from '../io.js'
import { main } from '../main.js'
import { commandDeadline } from '../../logs/options.js'

/** The built CLI (`npm run build`), for the tests that need a real medic process (signals). */
const MEDIC_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../../bin/medic.js')

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'medic-cli-logs-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function medic(args: string[], stdinText?: string, o: { cwd?: string; env?: Record<string, string> } = {}): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const stdin = new PassThrough()
  stdin.end(stdinText ?? '')
  const io: CliIO = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), stdin, stdoutIsTTY: false, stderrIsTTY: false, env: o.env ?? {}, cwd: o.cwd ?? dir }
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

  it('a known error on lines without timestamps is reported, in every output, without a crash', async () => {
    const f = join(dir, 'untimed.log')
    writeFileSync(f, ["ERROR worker-3 redis: OOM command not allowed when used memory > 'maxmemory'.", 'INFO worker-3 job 17 done', "ERROR worker-1 redis: OOM command not allowed when used memory > 'maxmemory'."].join('\n') + '\n')
    const json = await medic(['logs', f, '--json'])
    expect(json.err).not.toContain('internal error')
    const known = JSON.parse(json.out).findings.find((x: { id: string }) => x.id === 'logs.known-error')
    expect(known.evidence[0].observed).toContain('2× (')
    expect(known.evidence[0].observed).toContain('lines without timestamps')
    const since = await medic(['logs', f, '--since', '10m', '--no-color'])
    expect(since.out).toContain('3 events without a timestamp are kept: --since/--until cannot place them')
    for (const args of [[f], [f, '--emit', 'records'], [f, '--level', 'info']]) {
      const r = await medic(['logs', ...args])
      expect(r.err).not.toContain('internal error')
      expect([0, 1, 2]).toContain(r.code)
    }
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

/** A process's state from /proc: running unless gone or a zombie (this sandbox's pid 1 does not reap orphans). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}
const sleepMs = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('medic logs: commands that do not end', () => {
  it('--command "sleep 100" stops at --timeout, reports the cut and exits; the default is 10 s', async () => {
    const d = mkdtempSync(join(dir, 'cmd-'))
    writeFileSync(join(d, 'app.log'), 'ERROR:app:boom id=1\nERROR:app:boom id=2\n')
    writeFileSync(join(d, 'side.log'), 'ERROR:app:disk full on /var\n')
    const t0 = Date.now()
    const r = await medic(['logs', '--json', '--timeout', '1s', join(d, 'side.log'), '--command', `sh -c 'echo $$ > sh.pid; cat app.log; sleep 100 & echo $! > sleep.pid; wait'`], undefined, { cwd: d })
    expect(Date.now() - t0).toBeLessThan(4000)
    const doc = JSON.parse(r.out)
    // the file and what the command wrote before the deadline are both analysed
    expect(doc.totals.errors).toBe(3)
    expect(doc.sources[1].problems.cutAfterMs).toBeGreaterThanOrEqual(900)
    expect(r.err).toMatch(/\$ sh -c .*: still running after 1\.\d s: stopped at the deadline, the output read so far is analysed \(--timeout 1s; --timeout 0 waits for the command to end\)/)
    await sleepMs(100)
    for (const f of ['sh.pid', 'sleep.pid']) expect(running(Number(readFileSync(join(d, f), 'utf8')))).toBe(false)
    const plain = await medic(['logs', '--timeout', '500ms', '--command', 'sleep 100', '--no-color'])
    expect(plain.code).toBe(0)
    expect(plain.out).toMatch(/still running after 0\.\d s: stopped at the deadline/)
    expect(commandDeadline(undefined, false, 0)).toBe(10_000)
    expect(commandDeadline(undefined, true, 0)).toBeUndefined()
    expect(commandDeadline('0', false, 0)).toBeUndefined()
  })

  it('no child outlives the real medic process when it is interrupted (SIGINT, SIGTERM)', async () => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      const d = mkdtempSync(join(dir, 'sig-'))
      const child = spawn(process.execPath, [MEDIC_BIN, 'logs', '--command', `sh -c 'echo $$ > sh.pid; sleep 100 & echo $! > sleep.pid; wait'`], { cwd: d, stdio: 'ignore' })
      for (let i = 0; i < 100 && !existsSync(join(d, 'sleep.pid')); i++) await sleepMs(50)
      await sleepMs(100)
      const pids = ['sh.pid', 'sleep.pid'].map((f) => Number(readFileSync(join(d, f), 'utf8')))
      expect(pids.every(running)).toBe(true)
      child.kill(sig)
      const code = await new Promise<number | null>((res) => child.on('exit', (c, s) => res(c ?? (s ? 128 : null))))
      expect(code).not.toBe(0)
      await sleepMs(200)
      expect(pids.map(running)).toEqual([false, false])
    }
  })
})

describe('medic logs --follow', () => {
  it('starts at the end of the file like tail -f, unless --since is given', async () => {
    const d = mkdtempSync(join(dir, 'follow-'))
    const f = join(d, 'app.log')
    const now = () => new Date().toISOString()
    writeFileSync(f, `${now()} ERROR old failure one\n${now()} ERROR old failure two\n`)
    const run = async (extra: string[]) => {
      const child = spawn(process.execPath, [MEDIC_BIN, 'logs', f, '--follow', '--no-color', ...extra], { cwd: d })
      let out = ''
      child.stdout.on('data', (c) => (out += c))
      await sleepMs(1200)
      appendFileSync(f, `${now()} ERROR brand new failure\n`)
      for (let i = 0; i < 40 && !out.includes('brand new failure'); i++) await sleepMs(100)
      child.kill('SIGINT')
      await new Promise((res) => child.on('exit', res))
      return out
    }
    const fromEnd = await run([])
    expect(fromEnd).toContain('brand new failure')
    expect(fromEnd).not.toContain('old failure')
    const withSince = await run(['--since', '1h'])
    expect(withSince).toContain('old failure one')
    expect(withSince).toContain('brand new failure')
  })
})

describe('medic logs and trace never print a known secret', () => {
  it('masks .env, environment and config secrets in text, --json, --emit records and trace output', async () => {
    const d = mkdtempSync(join(dir, 'secrets-'))
    const PW = 'Zq8plantedPw77'
    const JWT = 'jwtSigningK3yPlanted'
    const CFG = 'CfgOnlySecret91'
    writeFileSync(join(d, '.env'), `PG_PASSWORD=${PW}\nAPP_NAME=shop\n`)
    writeFileSync(join(d, 'medic.yaml'), `targets:\n  db: { kind: postgres, url: "postgres://app:${CFG}@127.0.0.1:5432/app" }\nlogs:\n  - { file: app.log }\n`)
    const rid = '7c1e9d2a4b5f6e708192a3b4c5d6e7f8'
    const lines = [
      `2026-11-22T02:00:00Z ERROR [request_id=${rid}] login to db as app with ${PW} refused`,
      `2026-11-22T02:00:01Z ERROR [request_id=${rid}] token check failed, key ${JWT} rejected`,
      `2026-11-22T02:00:02Z ERROR [request_id=${rid}] config fallback used ${CFG}`,
      `2026-11-22T02:00:03Z WARN connecting to postgres://app:${PW}@db:5432/app`,
    ]
    writeFileSync(join(d, 'app.log'), lines.join('\n') + '\n')
    const env = { JWT_SECRET_KEY: JWT }
    const outputs: string[] = []
    for (const args of [
      ['logs', 'app.log', '--no-color'],
      ['logs', 'app.log', '--json', '--level', 'info'],
      ['logs', 'app.log', '--emit', 'records'],
      ['logs', 'app.log', '--group', 'ffffffffff'],
      ['logs', '--config', 'medic.yaml', '--json'],
      ['logs', '--command', `cat app.log; echo ${PW} >&2`],
      ['trace', rid.slice(0, 8), 'app.log', '--no-color'],
      ['trace', rid, 'app.log', '--json'],
    ]) {
      const r = await medic(args, undefined, { cwd: d, env })
      outputs.push(`${args[0]} ${args[1]}\n${r.out}\n${r.err}`)
    }
    const all = outputs.join('\n')
    // the log lines really were shown (masked), so the test is not vacuous
    expect(all).toContain('login to db as app with ***')
    expect(all).toMatch(/trace 7c1e9d2a.*\n.*3 events/)
    for (const secret of [PW, JWT, CFG]) expect(all, `${secret} leaked`).not.toContain(secret)
  })
})

describe('medic logs and trace usage errors exit 3 with a reason', () => {
  it('inverted --since/--until, a --group that matches nothing, a typo in a logs: entry', async () => {
    const f = join(dir, 'usage.log')
    writeFileSync(f, 'ERROR:app:boom id=1\n')
    for (const cmd of ['logs', 'trace']) {
      const args = cmd === 'trace' ? ['trace', 'abcd1234', f] : ['logs', f]
      const r = await medic([...args, '--since', '5m', '--until', '10m'])
      expect(r.code).toBe(3)
      expect(r.err).toMatch(/--since 5m .* is not before --until 10m/)
    }
    for (const n of ['0', 'two', '1.5']) {
      const jobs = await medic(['logs', f, '--jobs', n])
      expect(jobs.code).toBe(3)
      expect(jobs.err).toContain(`--jobs "${n}" is not a positive whole number`)
    }
    expect((await medic(['logs', f, '--jobs', '1', '--json'])).code).not.toBe(3)
    const bad = await medic(['logs', f, '--group', 'zzzz'])
    expect(bad.code).toBe(3)
    expect(bad.err).toContain('--group "zzzz" is not a group id')
    const none = await medic(['logs', f, '--group', 'abcdef'])
    expect(none.code).toBe(3)
    expect(none.err).toContain('no group abcdef in this input')
    expect(none.out).toBe('')
    const sub = mkdtempSync(join(dir, 'typo-'))
    writeFileSync(join(sub, 'medic.yaml'), 'logs:\n  - { file: app.log }\n  - { fiel: other.log }\n')
    const typo = await medic(['logs', '--config', join(sub, 'medic.yaml')])
    expect(typo.code).toBe(3)
    expect(typo.err).toMatch(/medic\.yaml:3 logs\[1\]: unknown key "fiel"/)
    writeFileSync(join(sub, 'medic.yaml'), 'logs:\n  - { file: app.log, command: "docker logs api" }\n')
    expect((await medic(['logs', '--config', join(sub, 'medic.yaml')])).err).toContain('give exactly one of file: or command:')
  })
})
