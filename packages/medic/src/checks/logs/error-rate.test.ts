/** logs.error-rate on fixture logs written by the test: error share in the window, 5xx per minute, thresholds. */
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import check from './error-rate.js'
import { at, jsonLog, logsTarget, tempDir } from './fixtures.test-helper.js'

const dir = tempDir()
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('logs.error-rate', () => {
  it('critical above 5 % in the last 15 minutes, with the top group', async () => {
    const f = jsonLog(dir, 'high.jsonl', 30, (m) => (m >= 20 ? [{ level: 'error', time: at(m, 30), service: 'api', request_id: `e-${m}`, msg: `db timeout after ${m * 10}ms on orders` }] : []))
    const r = await runCheck(check, null, { target: logsTarget([{ file: f }]) })
    const fnd = findingOf(r, 'logs.error-rate')
    expect(fnd?.severity).toBe('critical')
    // window 01:14:54 → 01:29:54 counted by whole minutes: 14..29 hold 160 info + 10 errors
    expect(evidenceText(fnd)).toContain('10 of 170 (5.9 %)')
    expect(evidenceText(fnd)).toContain('db timeout after <*> on orders')
    expect(r.observations['logs.window.errors']).toBe(10)
    // The timeline's "errors began": the first event of the busiest error group.
    expect(r.observations['logs.errorsBeganAt']).toBe(at(20, 30))
    expect(r.observations['logs.errorsBeganGroup']).toMatch(/db timeout after .* ×10$/)
  })

  it('reads a relative log path from the config folder (the target baseDir)', async () => {
    jsonLog(dir, 'relative.jsonl', 5)
    const t = logsTarget([{ file: 'relative.jsonl' }])
    const r = await runCheck(check, null, { target: { ...t, options: { ...t.options, baseDir: dir } } })
    expect(r.status).toBe('ok')
    expect(r.observations['logs.events']).toBe(50)
  })

  it('warning between 1 and 5 %, ok below; thresholds are configurable', async () => {
    const f = jsonLog(dir, 'mid.jsonl', 15, (m) => (m % 5 === 0 ? [{ level: 'error', time: at(m, 1), msg: 'x failed' }] : []))
    const r = await runCheck(check, null, { target: logsTarget([{ file: f }]) })
    expect(findingOf(r, 'logs.error-rate')?.severity).toBe('warning')
    const relaxed = await runCheck(check, null, { target: logsTarget([{ file: f }]), config: { thresholds: { 'logs.error-rate': { warningPct: 3 } } } })
    expect(relaxed.status).toBe('ok')
    expect(relaxed.evidence.map((e) => e.observed).join('\n')).toMatch(/3 of 153/)
  })

  it('5xx above 10 per minute from an access log is critical', async () => {
    const lines: string[] = []
    for (let i = 0; i < 400; i++) {
      const s = i % 60
      const status = i >= 340 ? 503 : 200
      lines.push(`10.1.1.${i % 250} - - [22/Nov/2026:01:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(s).padStart(2, '0')} +0000] "GET /api/x HTTP/1.1" ${status} 10 "-" "curl"`)
    }
    const f = join(dir, 'access.log')
    writeFileSync(f, lines.join('\n') + '\n')
    const r = await runCheck(check, null, { target: logsTarget([{ file: f }]) })
    const fnd = findingOf(r, 'logs.error-rate')
    expect(fnd?.severity).toBe('critical')
    expect(evidenceText(fnd)).toMatch(/at most 40 in one minute/)
  })

  it('skips when no source can be read, and never crashes on bad input', async () => {
    const r = await runCheck(check, null, { target: logsTarget([{ file: join(dir, 'gone.log') }]) })
    expect(r.status).toBe('skipped')
    expect(r.reason).toContain('no such file')
    const bad = join(dir, 'garbage.log')
    writeFileSync(bad, Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) % 256)))
    const g = await runCheck(check, null, { target: logsTarget([{ file: bad }]) })
    expect(['ok', 'problem']).toContain(g.status)
  })
})
