import { describe, expect, it } from 'vitest'
import { parseException, FRAME_LINE_CACHE_MAX, pyFrameCacheSize, SHORT_PATH_CACHE_MAX, shortPath, shortPathCacheSize, shortPathUncached, stackLineCacheSize } from './exceptions.js'

describe('shortPath cache', () => {
  const paths = ['/app/app/billing/money.py', 'file:///srv/app/src/index.js', 'C:\\app\\src\\x.ts', 'x.py', '', '/a//b/', 'node:internal/process/task_queues']
  it('answers as the uncached function, first and repeated calls alike', () => {
    for (let round = 0; round < 3; round++) for (const p of paths) expect(shortPath(p)).toBe(shortPathUncached(p))
  })
  it('stays bounded however many paths it sees', () => {
    for (let i = 0; i < SHORT_PATH_CACHE_MAX * 3; i++) {
      const p = `/app/pkg${i}/mod${i % 7}.py`
      expect(shortPath(p)).toBe(`pkg${i}/mod${i % 7}.py`)
      expect(shortPathCacheSize()).toBeLessThanOrEqual(SHORT_PATH_CACHE_MAX)
    }
  })
})

describe('Python frame lines, read once', () => {
  const tb = (i: number, cr = '') =>
    [`Traceback (most recent call last):${cr}`, `  File "/app/app/m${i}.py", line ${i}, in f${i}${cr}`, `    g(${i})${cr}`, `  File "/usr/lib/python3.11/site-packages/lib/x.py", line 9${cr}`, `\t File "/app/app/z.py", line 2, in z${cr}`, `    raise ValueError("bad")${cr}`, `ValueError: bad ${i}${cr}`].join('\n')
  it('a traceback seen again parses the same (frames, their order, library flags, line ends with \\r)', () => {
    for (const cr of ['', '\r']) {
      const first = parseException(tb(1, cr))
      expect(first).toEqual({
        type: 'ValueError',
        message: 'bad 1',
        chain: [],
        frames: [
          { file: '/app/app/z.py', func: 'z', line: 2, library: false },
          { file: '/usr/lib/python3.11/site-packages/lib/x.py', func: '?', line: 9, library: true },
          { file: '/app/app/m1.py', func: 'f1', line: 1, library: false },
        ],
      })
      expect(parseException(tb(1, cr))).toEqual(first)
    }
  })
  it('stays bounded however many distinct frame lines it sees', () => {
    for (let i = 0; i < FRAME_LINE_CACHE_MAX * 2; i++) {
      expect(parseException(tb(i))?.frames[2]).toEqual({ file: `/app/app/m${i}.py`, func: `f${i}`, line: i, library: false })
      expect(pyFrameCacheSize()).toBeLessThanOrEqual(FRAME_LINE_CACHE_MAX)
    }
  })
})

describe('Node and Java stack lines, read once', () => {
  const node = (i: number) => [`TypeError: bad ${i}`, `    at f${i} (/app/src/m${i}.js:${i}:2)`, '    at async g (node:internal/process/task_queues:95:5)', '    at h (<anonymous>)'].join('\n')
  const java = ['java.lang.IllegalStateException: x', '\tat com.app.Svc.run(Svc.java:42)', '\t... 12 more', 'Caused by: java.io.IOException: disk', '\tat java.base/java.io.File.open(File.java:7)'].join('\n')
  it('a stack seen again parses the same', () => {
    const first = parseException(node(1))
    expect(first?.frames).toEqual([
      { file: '/app/src/m1.js', func: 'f1', line: 1, library: false },
      { file: 'node:internal/process/task_queues', func: 'g', line: 95, library: true },
      { file: '<anonymous>', func: 'h', library: true },
    ])
    expect(parseException(node(1))).toEqual(first)
    const j = parseException(java)
    expect(j).toMatchObject({ type: 'java.lang.IllegalStateException', chain: ['java.io.IOException'], frames: [{ file: 'com.app.Svc', func: 'run', line: 42, library: false }] })
    expect(parseException(java)).toEqual(j)
  })
  it('stays bounded however many distinct frame lines it sees', () => {
    for (let i = 0; i < FRAME_LINE_CACHE_MAX * 2; i++) {
      expect(parseException(node(i))?.frames[0]).toEqual({ file: `/app/src/m${i}.js`, func: `f${i}`, line: i, library: false })
      expect(stackLineCacheSize()).toBeLessThanOrEqual(FRAME_LINE_CACHE_MAX)
    }
  })
})
