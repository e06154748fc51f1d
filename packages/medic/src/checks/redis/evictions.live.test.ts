// redis.evictions against a throwaway redis-server with a tiny maxmemory and allkeys-lru, while a
// background writer in this test keeps pushing keys so the server evicts during the window.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import check from './evictions.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { startRedis, type RedisServer } from '../../../test/helpers/redis-server.js'

let s: RedisServer
beforeAll(async () => {
  s = await startRedis({ config: { maxmemory: '2mb', 'maxmemory-policy': 'allkeys-lru' } })
})
afterAll(async () => {
  await s?.stop()
})
const fast = { config: { thresholds: { 'redis.evictions': { windowMs: 400 } } } }

describe('redis.evictions', () => {
  test('fresh server: ok, nothing evicted', async () => {
    const r = await runCheck(check, { kind: 'redis', url: s.url() }, fast)
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toMatch(/^0 since start \(watched 0\.\d s\)/)
  })

  test('keys evicted during the window: evictions (warning) with the counter before and after', async () => {
    const w = s.admin()
    await w.connect()
    let running = true
    const writer = (async () => {
      for (let i = 0; running; i++) await w.set(`cache:${i}`, 'z'.repeat(5000))
    })()
    try {
      await new Promise((r) => setTimeout(r, 100))
      const r = await runCheck(check, { kind: 'redis', url: s.url() }, fast)
      const f = findingOf(r, 'redis.evictions')
      expect(f?.severity).toBe('warning')
      expect(f?.title).toMatch(/^Redis evicted [1-9]\d* keys in 0\.\d s/)
      expect(evidenceText(f)).toMatch(/evicted_keys: \d+ → \d+ \(\+[1-9]\d* in 0\.\d s, \d+\/s\)/)
      expect(evidenceText(f)).toMatch(/of maxmemory 2\.00 MB, policy allkeys-lru/)
      expect(r.observations['redis.evictionsInWindow']).toBeGreaterThan(0)
    } finally {
      running = false
      await writer
      w.disconnect()
    }
  })

  test('evictions only in the past: evictions as info', async () => {
    const r = await runCheck(check, { kind: 'redis', url: s.url() }, fast)
    const f = findingOf(r, 'redis.evictions')
    expect(f?.severity).toBe('info')
    expect(f?.title).toMatch(/^Redis evicted [1-9]\d* keys since it started \(none during the check\)/)
  })
})
