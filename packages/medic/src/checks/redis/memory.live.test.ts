// redis.memory against throwaway redis-servers put into each memory fault for real.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import check from './memory.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { startRedis, type RedisServer } from '../../../test/helpers/redis-server.js'

const servers: RedisServer[] = []
async function server(config: Record<string, string | number>, debug = false) {
  const s = await startRedis({ config, debug })
  servers.push(s)
  return s
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()))
})

/** used_memory as a % of maxmemory, as the server sees it. */
async function usedPct(s: RedisServer): Promise<number> {
  const c = s.admin()
  await c.connect()
  const info = await c.info('memory')
  c.disconnect()
  const used = Number(/used_memory:(\d+)/.exec(info)![1])
  const max = Number(/maxmemory:(\d+)/.exec(info)![1])
  return (used / max) * 100
}

describe('redis.memory', () => {
  test('healthy server without maxmemory: ok, says memory is unbounded, no warning', async () => {
    const s = await server({})
    const r = await runCheck(check, { kind: 'redis', url: s.url() })
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toMatch(/^used_memory [\d.]+ [KM]B, no maxmemory set \(policy noeviction\)/)
    expect(r.observations['redis.memoryUsedPct']).toBeNull()
    expect(r.observations['redis.policy']).toBe('noeviction')
  })

  test('maxmemory reached under noeviction: oom (critical), writes refused counted', async () => {
    const s = await server({ maxmemory: '2mb', 'maxmemory-policy': 'noeviction' })
    const c = s.admin()
    await c.connect()
    let refused = ''
    for (let i = 0; i < 2000 && !refused; i++) {
      try {
        await c.set(`k:${i}`, 'x'.repeat(10_000))
      } catch (err) {
        refused = (err as Error).message
      }
    }
    c.disconnect()
    expect(refused).toMatch(/^OOM command not allowed/)

    const r = await runCheck(check, { kind: 'redis', url: s.url() })
    const f = findingOf(r, 'redis.oom')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toBe('Redis is at maxmemory with policy noeviction: writes are refused (OOM)')
    expect(evidenceText(f)).toMatch(/memory: used_memory 2\.\d\d MB of maxmemory 2\.00 MB \(1\d\d %\), policy noeviction/)
    expect(evidenceText(f)).toMatch(/writes refused with OOM since start: [1-9]/)
    expect(findingOf(r, 'redis.memory-near-limit')).toBeUndefined()
    expect(r.observations['redis.oom']).toBe(true)
    expect(r.observations['redis.memoryUsedPct']).toBeGreaterThanOrEqual(100)
    expect(f?.commands[0]).toBe(`redis-cli -h 127.0.0.1 -p ${s.port} INFO memory`)
  })

  test('over 90 % of maxmemory, not yet full: memory-near-limit (warning) and the fix warns that noeviction will refuse writes', async () => {
    const s = await server({ maxmemory: '4mb', 'maxmemory-policy': 'noeviction' })
    const c = s.admin()
    await c.connect()
    for (let i = 0; (await usedPct(s)) < 92; i++) {
      const p = c.pipeline()
      for (let j = 0; j < 20; j++) p.set(`k:${i}:${j}`, 'y'.repeat(1000))
      await p.exec()
    }
    c.disconnect()
    const r = await runCheck(check, { kind: 'redis', url: s.url() })
    const f = findingOf(r, 'redis.memory-near-limit')
    expect(f?.severity).toBe('warning')
    expect(evidenceText(f)).toMatch(/used_memory 3\.\d\d MB of maxmemory 4\.00 MB \(9\d %\), policy noeviction \(expected < 90 % of maxmemory\)/)
    expect(f?.fix).toMatch(/^With policy noeviction nothing can be evicted/)
    expect(findingOf(r, 'redis.oom')).toBeUndefined()
  })

  test('volatile-lru with no key having a TTL at the limit: oom too (nothing can be evicted)', async () => {
    const s = await server({ maxmemory: '2mb', 'maxmemory-policy': 'volatile-lru' })
    const c = s.admin()
    await c.connect()
    let refused = ''
    for (let i = 0; i < 2000 && !refused; i++) {
      try {
        await c.set(`k:${i}`, 'x'.repeat(10_000))
      } catch (err) {
        refused = (err as Error).message
      }
    }
    c.disconnect()
    expect(refused).toMatch(/^OOM/)
    const r = await runCheck(check, { kind: 'redis', url: s.url() })
    const f = findingOf(r, 'redis.oom')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toMatch(/policy volatile-lru but no key has a TTL \(\d+ keys, 0 with expire\)/)
  })

  test('fragmented memory (many small keys written, most deleted): fragmentation (warning) with rss and used', async () => {
    const s = await server({}, true)
    const c = s.admin()
    await c.connect()
    // 300k small keys (~30 MB), then delete 4 of every 5 so pages stay partly used and RSS stays high.
    await c.call('DEBUG', 'POPULATE', '300000', 'frag', '64')
    await c.eval("for i=0,299999 do if i % 5 ~= 0 then redis.call('UNLINK', 'frag:'..i) end end return 1", 0)
    // mem_fragmentation_ratio is refreshed by the server cron; give it a tick.
    await new Promise((r) => setTimeout(r, 300))
    const info = await c.info('memory')
    c.disconnect()
    const ratio = Number(/mem_fragmentation_ratio:([\d.]+)/.exec(info)![1])
    expect(ratio).toBeGreaterThan(1.5)

    const r = await runCheck(check, { kind: 'redis', url: s.url() })
    const f = findingOf(r, 'redis.fragmentation')
    expect(f?.severity).toBe('warning')
    expect(evidenceText(f)).toMatch(/mem_fragmentation_ratio [\d.]+ \(used_memory_rss [\d.]+ MB for used_memory 1\d\.\d\d MB\)/)
    expect(r.observations['redis.fragmentationRatio']).toBeGreaterThan(1.5)
  })
})
