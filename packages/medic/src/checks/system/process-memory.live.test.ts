import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import type { Target } from '../../engine/types.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import processMemory, { slope } from './process-memory.js'

const proc = (pid: number): Target => ({ id: 'api', kind: 'process', address: `pid ${pid}`, options: { pid }, thresholds: {}, source: 'test' })

describe('process.memory (real processes)', () => {
  it('reports a real leak: a process that keeps allocating', async () => {
    const leaker = spawn(process.execPath, ['-e', 'const keep = []; setInterval(() => keep.push(Buffer.alloc(4 << 20, 1)), 40)'], { stdio: 'ignore' })
    try {
      await new Promise((r) => setTimeout(r, 300))
      const r = await runCheck(processMemory, null, { target: proc(leaker.pid!) })
      const f = findingOf(r, 'process.memory-growth')
      expect(f?.severity).toBe('warning')
      expect(evidenceText(f)).toMatch(/RSS of pid \d+: [\d.]+ MB( → [\d.]+ MB){4}/)
      expect(Number(r.observations['process.rssSlopeMbPerMin'])).toBeGreaterThan(10)
    } finally {
      leaker.kill('SIGKILL')
    }
  })

  it('is quiet for a process whose memory is flat', async () => {
    const idle = spawn('sleep', ['20'], { stdio: 'ignore' })
    try {
      const r = await runCheck(processMemory, null, { target: proc(idle.pid!) })
      expect(r.status).toBe('ok')
    } finally {
      idle.kill('SIGKILL')
    }
  })

  it('fits the slope by least squares', () => {
    expect(slope([0, 1, 2, 3], [10, 12, 14, 16])).toBeCloseTo(2)
    expect(slope([0, 1, 2], [5, 5, 5])).toBe(0)
  })
})
