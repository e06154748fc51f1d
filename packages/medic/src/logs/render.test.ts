/** Sparklines and the progress bar (stderr, only on a terminal). */
import { describe, expect, it } from 'vitest'
import { progressBar } from './progress.js'
import { sparkline } from './render.js'

describe('sparkline', () => {
  it('one character per bucket, blank where nothing happened, full block at the peak', () => {
    const m = (i: number) => 29_000_000 + i
    const per = new Map([[m(0), 1], [m(5), 8], [m(9), 4]])
    const s = sparkline(per, m(0) * 60_000, m(9) * 60_000, 10)
    expect(s).toHaveLength(10)
    expect(s[5]).toBe('█')
    expect(s[1]).toBe(' ')
    expect(s[0]).toBe('▁')
  })
})

describe('progress bar', () => {
  it('draws bytes, share and lines/s on a terminal after the delay, and clears itself', async () => {
    let out = ''
    const p = progressBar((s) => (out += s), true, 0)
    await new Promise((r) => setTimeout(r, 5))
    p.update({ bytes: 50 * 1048576, totalBytes: 100 * 1048576, lines: 500_000 })
    p.done()
    expect(out).toMatch(/\[█{12}░{12}\] 50% 50 MB\/100 MB {2}500,000 lines {2}[\d,]+ lines\/s/)
    expect(out.endsWith('\r\x1b[K')).toBe(true)
  })
  it('writes nothing when stderr is not a terminal', () => {
    let out = ''
    const p = progressBar((s) => (out += s), false, 0)
    p.update({ bytes: 1, totalBytes: 2, lines: 1 })
    p.done()
    expect(out).toBe('')
  })
})
