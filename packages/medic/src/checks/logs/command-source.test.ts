/**
 * A `logs:` command that never ends (`docker logs -f` behaves like `sh -c 'cat app.log; sleep 100'`)
 * is read until shortly before the check's deadline, then stopped with its process group; the
 * file beside it is analysed and the checks answer in time. Real files, real child processes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { ResourceCache } from '../../engine/shared.js'
import errorRate from './error-rate.js'
import unhandled from './unhandled-exception.js'
import { at, jsonLog, logsTarget, tempDir } from './fixtures.test-helper.js'
import { commandBudgetMs } from './shared.js'

const dir = tempDir()
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

describe('logs checks with a command source that does not end', () => {
  it('analyse the file beside `sleep 100` and the command output read before the deadline; no child survives', async () => {
    const d = mkdtempSync(join(dir, 'follow-'))
    // the file: 15 quiet minutes; the command: the history of a failing service, then it waits forever
    const file = jsonLog(d, 'api.jsonl', 15)
    const history = Array.from({ length: 30 }, (_, i) => JSON.stringify({ level: 'error', time: at(14, i), service: 'worker', msg: `job ${i} failed: ECONNREFUSED 127.0.0.1:6379` }))
    writeFileSync(join(d, 'worker.log'), history.join('\n') + '\n')
    const command = `cd ${d} && sh -c 'echo $$ > sh.pid; cat worker.log; sleep 100 & echo $! > sleep.pid; wait'`
    const shared = new ResourceCache()
    const target = logsTarget([{ command }, { file }])
    const t0 = Date.now()
    const r = await runCheck(errorRate, null, { target, timeoutMs: 3000, shared })
    const u = await runCheck(unhandled, null, { target, timeoutMs: 3000, shared })
    await shared.disposeAll()
    // ends before its deadline (3 s), not by timing out
    expect(Date.now() - t0).toBeLessThan(3000)
    expect(r.status).toBe('problem')
    expect(r.reason ?? '').not.toMatch(/timed out/)
    const f = findingOf(r, 'logs.error-rate')
    expect(f?.severity).toBe('critical')
    // 150 info lines from the file + 30 errors from the command
    expect(r.observations['logs.events']).toBe(180)
    expect(r.observations['logs.errors']).toBe(30)
    expect(evidenceText(f)).toMatch(/source \$ cd .*: 30 lines; still running after 2\.\d s: stopped at the deadline/)
    expect(u.status).not.toBe('error')
    for (const name of ['sh.pid', 'sleep.pid']) expect(running(Number(readFileSync(join(d, name), 'utf8')))).toBe(false)
  })

  it('a source that is only `sleep 100` gives an ok with the note, not a timeout', async () => {
    const r = await runCheck(errorRate, null, { target: logsTarget([{ command: 'sleep 100' }]), timeoutMs: 2000 })
    expect(r.status).toBe('ok')
    expect(r.evidence.map((e) => `${e.label}: ${e.observed}`).join('\n')).toMatch(/source \$ sleep 100: \w+, 0 lines; still running after 1\.\d s: stopped at the deadline/)
  })

  it('the budget leaves a margin before the deadline', () => {
    expect(commandBudgetMs(5000)).toBe(4000)
    expect(commandBudgetMs(30_000)).toBe(27_000)
    expect(commandBudgetMs(1000)).toBe(500)
    expect(commandBudgetMs(0)).toBe(0)
  })
})
