/** logs.new-error-group: an error signature first seen inside the window, after a restart. */
import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import check from './new-error-group.js'
import { at, jsonLog, logsTarget, tempDir } from './fixtures.test-helper.js'

const dir = tempDir()
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('logs.new-error-group', () => {
  it('reports the group that started in the window, with the restart before it; old groups are not new', async () => {
    const f = jsonLog(dir, 'new.jsonl', 40, (m) => {
      const out: object[] = [{ level: 'error', time: at(m, 5), msg: `old failure for tenant ${m}` }]
      if (m === 31) out.push({ level: 'info', time: at(m, 0), msg: 'Application startup complete' })
      if (m >= 32) out.push({ level: 'error', time: at(m, 40), msg: `invoice ${m * 7} could not be rendered: template missing`, request_id: `inv-${m}` })
      return out
    })
    const r = await runCheck(check, null, { target: logsTarget([{ file: f }]) })
    expect(r.findings).toHaveLength(1)
    const fnd = findingOf(r, 'logs.new-error-group')!
    expect(fnd.severity).toBe('warning')
    expect(fnd.title).toContain('invoice <*> could not be rendered: template missing')
    expect(evidenceText(fnd)).toContain('first seen: 2026-11-22 01:32:40Z')
    expect(evidenceText(fnd)).toMatch(/started after: restart at 2026-11-22 01:31:00Z: Application startup complete/)
    expect(evidenceText(fnd)).toContain('request inv-32')
  })

  it('nothing to compare with when the input is shorter than the window', async () => {
    const f = jsonLog(dir, 'short.jsonl', 5, (m) => [{ level: 'error', time: at(m, 1), msg: 'fresh' }])
    const r = await runCheck(check, null, { target: logsTarget([{ file: f }]) })
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toContain('nothing to compare with')
  })
})
