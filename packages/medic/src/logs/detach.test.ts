import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'
import { afterAll, describe, expect, it } from 'vitest'
import { analyze } from './analyze.js'
import { detached } from './detach.js'

const dir = mkdtempSync(join(tmpdir(), 'medic-detach-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('kept strings are copies', () => {
  it('a copy reads the same', () => {
    for (const s of ['', 'short', 'a line of exactly 13', 'x'.repeat(5000), 'ünïcödé text that is long enough']) expect(detached(s)).toBe(s)
  })

  it("an analysis keeps its groups' examples, templates and known errors, not the log blocks they were read from", async () => {
    // 600 groups, each first seen in a block of its own (~40 KB each, 24 MB in all)
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima', 'mike']
    const out: string[] = []
    for (let b = 0; b < 600; b++) {
      const t = `2026-11-22 ${String(1 + Math.floor(b / 60)).padStart(2, '0')}:${String(b % 60).padStart(2, '0')}`
      for (let i = 0; i < 400; i++) out.push(`${t}:${String(Math.floor(i / 7)).padStart(2, '0')},${String(i).padStart(3, '0')} INFO app.worker: job ${i} started for tenant ${i % 50}`)
      const msg = Array.from({ length: 3 + (b % 25) }, (_, k) => words[(b * 7 + k * 3) % words.length] + words[(b + k * 5) % words.length]).join(' ')
      out.push(`${t}:59,999 ERROR app.worker: ${msg} (Connection refused) [request_id=req-${b.toString(16).padStart(8, '0')}abcdef]`)
    }
    const file = join(dir, 'many-groups.log')
    writeFileSync(file, out.join('\n') + '\n')
    v8.setFlagsFromString('--expose-gc')
    const gc = vm.runInNewContext('gc') as () => void
    gc()
    const before = process.memoryUsage().heapUsed
    const a = await analyze({ sources: [{ file }], cwd: dir, jobs: 1 })
    gc()
    const kept = process.memoryUsage().heapUsed - before
    expect(a.groups.length).toBeGreaterThan(300)
    expect(a.known.length).toBeGreaterThan(0)
    // a slice keeps its block: ~11 MB of blocks here (1.8 MB kept with copies)
    expect(kept).toBeLessThan(5 * 1024 * 1024)
  })
})
