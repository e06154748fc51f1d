import { spawn, type ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Target } from '../../engine/types.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { freePort } from '../../../test/helpers/ports.js'
import processRunning from './process-running.js'

const proc = (options: Record<string, unknown>): Target => ({ id: 'api', kind: 'process', address: 'p', options, thresholds: {}, source: 'test' })

let server: ChildProcess
let port: number
beforeAll(async () => {
  port = await freePort()
  // A real process listening on a port, named by a unique argument.
  server = spawn(process.execPath, ['-e', `require('net').createServer().listen(${port}, '127.0.0.1'); setInterval(() => {}, 1000)`, 'medic-test-api'], { stdio: 'ignore' })
  for (let i = 0; i < 50; i++) {
    const { listenerOf } = await import('../../system/proc.js')
    if ((await listenerOf(port)).listening) break
    await new Promise((r) => setTimeout(r, 100))
  }
})
afterAll(() => server.kill('SIGKILL'))

describe('process.running (real processes)', () => {
  it('finds a process by pid, by name and by its listening port', async () => {
    const cfg = { thresholds: { 'process.running': { recentStartSeconds: 0 } } }
    for (const options of [{ pid: server.pid }, { name: 'medic-test-api' }, { port }]) {
      const r = await runCheck(processRunning, null, { target: proc(options), config: cfg })
      expect(r.status, JSON.stringify(options)).toBe('ok')
      expect(r.evidence[0].observed).toContain(`${server.pid} (node)`)
      expect(r.observations['process.running']).toBe(true)
    }
  })

  it('says a process that just started may be restarting', async () => {
    const r = await runCheck(processRunning, null, { target: proc({ pid: server.pid }) })
    const f = findingOf(r, 'process.not-running')
    expect(f?.severity).toBe('warning')
    expect(f?.title).toMatch(/started only \d+ s ago \(restarting\?\)/)
  })

  it('is critical when nothing matches: a dead pid, an unknown name, a free port', async () => {
    const dead = spawn('true')
    await new Promise((r) => dead.on('exit', r))
    const free = await freePort()
    for (const [options, text] of [
      [{ pid: dead.pid }, `pid ${dead.pid}: nothing found`],
      [{ name: 'no-such-process-medic' }, 'name no-such-process-medic: nothing found'],
      [{ port: free }, `port ${free}: nothing found`],
    ] as const) {
      const r = await runCheck(processRunning, null, { target: proc(options) })
      const f = findingOf(r, 'process.not-running')
      expect(f?.severity).toBe('critical')
      expect(evidenceText(f)).toContain(text)
    }
  })
})
