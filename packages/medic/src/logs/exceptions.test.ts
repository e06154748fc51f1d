import { describe, expect, it } from 'vitest'
import { SHORT_PATH_CACHE_MAX, shortPath, shortPathCacheSize, shortPathUncached } from './exceptions.js'

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
