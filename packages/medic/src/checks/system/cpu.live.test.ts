import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import type { Target } from '../../engine/types.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import cpu from './cpu.js'
import { busyPct } from '../../system/proc.js'

const host: Target = { id: 'host', kind: 'host', address: 'this host', options: {}, thresholds: {}, source: 'test' }

describe('system.cpu (real /proc/stat)', () => {
  it('measures busy CPU while a real busy loop runs, and reports it over the threshold', async () => {
    const burner = spawn(process.execPath, ['-e', 'const end = Date.now() + 5000; while (Date.now() < end) {}'], { stdio: 'ignore' })
    try {
      await new Promise((r) => setTimeout(r, 100))
      const r = await runCheck(cpu, null, { target: host, config: { thresholds: { 'system.cpu': { warningPct: 5, windowMs: 400 } } } })
      const f = findingOf(r, 'system.cpu-high')
      expect(f?.severity).toBe('warning')
      expect(evidenceText(f)).toMatch(/CPU busy: \d+ % over 400 ms, medic's own use left out \(\d+ cores, load [\d.]+ \/ [\d.]+\)/)
      // One core of two (or more) is busy: at least a third of the total.
      expect(Number(r.observations['system.cpuPct'])).toBeGreaterThan(30)
    } finally {
      burner.kill('SIGKILL')
    }
  })

  it("leaves medic's own CPU time out of the busy share", () => {
    // 200 ticks in the window, 50 idle, 50 of the busy ones were medic's: 100 of 200 busy elsewhere.
    expect(busyPct({ idle: 0, total: 0 }, { idle: 50, total: 200 }, 50)).toBe(50)
    expect(busyPct({ idle: 0, total: 0 }, { idle: 50, total: 200 })).toBe(75)
  })

  it('reports a plausible figure with default thresholds', async () => {
    const r = await runCheck(cpu, null, { target: host })
    expect(Number(r.observations['system.cpuPct'])).toBeGreaterThanOrEqual(0)
    expect(Number(r.observations['system.cpuPct'])).toBeLessThanOrEqual(100)
  })
})
