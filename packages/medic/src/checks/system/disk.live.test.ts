import { describe, expect, it } from 'vitest'
import type { Target } from '../../engine/types.js'
import { findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import disk from './disk.js'

const host: Target = { id: 'host', kind: 'host', address: 'this host', options: {}, thresholds: {}, source: 'test' }

describe('system.disk (real statfs)', () => {
  it('reports the root filesystem over the threshold with its figures and the commands', async () => {
    const r = await runCheck(disk, null, { target: host, config: { thresholds: { 'system.disk': { warningPct: 0, criticalPct: 100 } } } })
    const root = r.findings.find((f) => f.evidence[0].label === '/')
    expect(root?.id).toBe('system.disk-full')
    expect(root?.severity).toBe('warning')
    expect(root?.evidence[0].observed).toMatch(/^\d+ % used \([\d.]+ GB used, [\d.]+ GB free, \w+ on /)
    expect(root?.commands).toContain('du -xh --max-depth=1 / | sort -h | tail')
  })

  it('is critical over the critical threshold and quiet under it', async () => {
    const c = await runCheck(disk, null, { target: host, config: { thresholds: { 'system.disk': { warningPct: 0, criticalPct: 0 } } } })
    expect(findingOf(c, 'system.disk-full')?.severity).toBe('critical')
    const ok = await runCheck(disk, null, { target: host, config: { thresholds: { 'system.disk': { warningPct: 100 } } } })
    expect(ok.status).toBe('ok')
    expect(ok.evidence[0].observed).toMatch(/^\/ \d+ %/)
  })
})
