/** `medic trace` driven in-process through main(): id prefixes, the ambiguity note, --timeout on commands. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { RID, writeThreeServices } from '../../logs/testing/fixtures.js'
import type { CliIO } from '../io.js'
import { main } from '../main.js'

const dir = mkdtempSync(join(tmpdir(), 'medic-cli-trace-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function medic(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const stdin = new PassThrough()
  stdin.end('')
  const io: CliIO = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), stdin, stdoutIsTTY: false, stderrIsTTY: false, env: {}, cwd: dir }
  const code = await main(['node', 'medic', ...args], io)
  return { code, out, err }
}

describe('medic trace', () => {
  it('a prefix of the id finds the same 7 events in the JSON, logfmt and plain logs', async () => {
    const files = writeThreeServices(dir)
    const r = await medic(['trace', RID.slice(0, 5), ...files, '--json'])
    const j = JSON.parse(r.out)
    expect(j.steps).toHaveLength(7)
    expect(j.ids).toEqual([RID])
    expect(r.code).toBe(2)
  })

  it('a command source stops at --timeout; what it wrote is traced', async () => {
    const files = writeThreeServices(dir)
    const t0 = Date.now()
    const r = await medic(['trace', RID, '--timeout', '800ms', '--no-color', '--command', `cat ${files[1]}; sleep 100`, files[0]])
    expect(Date.now() - t0).toBeLessThan(3000)
    expect(r.out).toContain('5 events across 2 services (api, worker)')
    expect(r.err).toMatch(/still running after 0\.\d s: stopped at the deadline/)
  })
})
