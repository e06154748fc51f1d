import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Target } from '../../engine/types.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import memory from './memory.js'

const host: Target = { id: 'host', kind: 'host', address: 'this host', options: {}, thresholds: {}, source: 'test' }

describe('system.memory (real /proc/meminfo)', () => {
  it('reports memory in use as total minus available, matching /proc/meminfo', async () => {
    const r = await runCheck(memory, null, { target: host, config: { thresholds: { 'system.memory': { warningPct: 100 } } } })
    const text = readFileSync('/proc/meminfo', 'utf8')
    const total = Number(/MemTotal:\s+(\d+)/.exec(text)![1])
    const avail = Number(/MemAvailable:\s+(\d+)/.exec(text)![1])
    expect(Math.abs(Number(r.observations['system.memoryPct']) - ((total - avail) / total) * 100)).toBeLessThan(3)
    expect(r.status).toBe('ok')
  })

  it('is a warning over the warning threshold and critical over the critical one', async () => {
    const w = await runCheck(memory, null, { target: host, config: { thresholds: { 'system.memory': { warningPct: 0.1, criticalPct: 100 } } } })
    expect(findingOf(w, 'system.memory-high')?.severity).toBe('warning')
    expect(evidenceText(findingOf(w, 'system.memory-high'))).toMatch(/memory in use: [\d.]+ GiB of [\d.]+ GiB \(\d+ %\)/)
    const c = await runCheck(memory, null, { target: host, config: { thresholds: { 'system.memory': { warningPct: 0.1, criticalPct: 0.2 } } } })
    expect(findingOf(c, 'system.memory-high')?.severity).toBe('critical')
  })
})
