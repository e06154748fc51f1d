/** logs.known-error: known signatures with their cause and fix, one finding per cause. */
import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import check from './known-error.js'
import { at, jsonLog, logsTarget, tempDir } from './fixtures.test-helper.js'

const dir = tempDir()
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('logs.known-error', () => {
  it('Redis down, MissingGreenlet and the utcnow deprecation, each with its fix; secrets in lines stay masked', async () => {
    const f = jsonLog(dir, 'known.jsonl', 5, (m) => [
      { level: 'error', time: at(m, 10), msg: 'cache get failed', err: { type: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:6379', stack: 'Error: connect ECONNREFUSED 127.0.0.1:6379\n    at TCPConnectWrap.afterConnect (node:net:1555:16)' }, request_id: `rq-${m}` },
      { level: 'error', time: at(m, 20), msg: "sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called; can't call await_only() here", url: 'postgres://app:hunter2secret@db/app' },
      { level: 'warning', time: at(m, 30), msg: 'DeprecationWarning: datetime.datetime.utcnow() is deprecated and scheduled for removal' },
    ])
    const r = await runCheck(check, null, { target: logsTarget([{ file: f }]), secrets: ['hunter2secret'] })
    const titles = r.findings.map((x) => x.title).sort()
    expect(titles).toEqual(['A dependency refused the connection (Redis at 127.0.0.1:6379)', 'SQLAlchemy async: lazy load outside the async context (MissingGreenlet)', 'datetime.utcnow() is deprecated (Python 3.12+)'])
    const redis = r.findings.find((x) => x.title.includes('Redis'))!
    expect(redis.severity).toBe('critical')
    expect(evidenceText(redis)).toContain('5×')
    expect(evidenceText(redis)).toContain('request rq-')
    expect(findingOf(r, 'logs.known-error')?.fix.length).toBeGreaterThan(20)
    expect(r.findings.find((x) => x.title.includes('MissingGreenlet'))!.fix).toContain('selectinload')
    expect(r.findings.find((x) => x.title.includes('utcnow'))!.severity).toBe('info')
    expect(r.observations['logs.knownErrors']).toContain('missing-greenlet')
  })

  it('ok when nothing known matches', async () => {
    const f = jsonLog(dir, 'calm.jsonl', 3)
    const r = await runCheck(check, null, { target: logsTarget([{ file: f }]) })
    expect(r.status).toBe('ok')
  })
})
