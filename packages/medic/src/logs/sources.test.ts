/**
 * Command sources that never end (`docker logs -f`, `kubectl logs -f`) are read until their
 * deadline, then stopped with their whole process group; `fromEnd` starts files at their end.
 * Real files and real child processes.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { analyze } from './analyze.js'
import { readChunks, resolveSources } from './sources.js'
import { emptyProblems } from './types.js'

const dir = mkdtempSync(join(tmpdir(), 'medic-sources-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Is a process with this pid still running? (A zombie is dead: this sandbox's pid 1 does not reap orphans.) */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

const pidsIn = (d: string) => ['sh.pid', 'sleep.pid'].map((f) => Number(readFileSync(join(d, f), 'utf8').trim()))

describe('command sources with a deadline', () => {
  it('reads `cat app.log; sleep 100` until the deadline, kills the shell and its sleep, keeps what was read', async () => {
    const d = mkdtempSync(join(dir, 'cmd-'))
    writeFileSync(join(d, 'app.log'), 'ERROR:app:boom id=1\nERROR:app:boom id=2\nINFO:app:fine\n')
    writeFileSync(join(d, 'other.log'), 'ERROR:app:disk full on /var\n')
    // like `docker logs -f`: the history, then nothing more, never ending
    const command = `sh -c 'echo $$ > sh.pid; cat app.log; sleep 100 & echo $! > sleep.pid; wait'`
    const t0 = Date.now()
    const a = await analyze({ sources: [{ command: `cd ${d} && ${command}` }, { file: join(d, 'other.log') }], cwd: d, commandDeadline: Date.now() + 1200 })
    const took = Date.now() - t0
    expect(took).toBeGreaterThanOrEqual(1100)
    expect(took).toBeLessThan(4000)
    // the command's lines and the file beside it are both analysed
    expect(a.totals.events).toBe(4)
    expect(a.totals.errors).toBe(3)
    const cmd = a.sources[0]
    expect(cmd.kind).toBe('command')
    expect(cmd.lines).toBe(3)
    expect(cmd.problems.error).toBeUndefined()
    expect(cmd.problems.cutAfterMs).toBeGreaterThanOrEqual(1100)
    expect(a.sources[1].problems).toMatchObject({ binaryLines: 0 })
    // no process of the command outlives the read: the shell and its background sleep are gone
    const [shPid, sleepPid] = pidsIn(d)
    await new Promise((r) => setTimeout(r, 100))
    expect(alive(shPid)).toBe(false)
    expect(alive(sleepPid)).toBe(false)
  })

  it('a command that ends by itself is read to its end and not marked as cut', async () => {
    const a = await analyze({ sources: [{ command: "printf 'ERROR:app:x\\nERROR:app:y\\n'" }], cwd: dir, commandDeadline: Date.now() + 5000 })
    expect(a.sources[0].lines).toBe(2)
    expect(a.sources[0].problems.cutAfterMs).toBeUndefined()
  })

  it('a deadline already passed does not start the command; an abort stops it too', async () => {
    const a = await analyze({ sources: [{ command: 'sleep 100' }], cwd: dir, commandDeadline: Date.now() - 1 })
    expect(a.sources[0].problems.cutAfterMs).toBe(0)
    const d = mkdtempSync(join(dir, 'abort-'))
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 300)
    const t0 = Date.now()
    await analyze({ sources: [{ command: `cd ${d} && echo $$ > sh.pid && sleep 100 & echo $! > ${d}/sleep.pid; wait` }], cwd: d, signal: ac.signal })
    expect(Date.now() - t0).toBeLessThan(2500)
    await new Promise((r) => setTimeout(r, 100))
    for (const pid of pidsIn(d)) expect(alive(pid)).toBe(false)
  })
})

describe('fromEnd (follow like tail -f)', () => {
  it('starts a file at its end: only appended lines are read', async () => {
    const f = join(dir, 'live.log')
    writeFileSync(f, 'ERROR:app:old one\nERROR:app:old two\n')
    const [src] = await resolveSources([{ file: f }], dir)
    const ac = new AbortController()
    const got: string[] = []
    const reading = (async () => {
      for await (const c of readChunks(src, emptyProblems(), { follow: true, fromEnd: true, signal: ac.signal, pollMs: 50 })) got.push(c.toString())
    })()
    await new Promise((r) => setTimeout(r, 200))
    appendFileSync(f, 'ERROR:app:new one\n')
    await new Promise((r) => setTimeout(r, 300))
    ac.abort()
    await reading
    expect(got.join('')).toBe('ERROR:app:new one\n')
  })
})
