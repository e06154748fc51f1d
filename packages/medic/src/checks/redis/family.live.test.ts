// Every redis.* check together, the way the runner runs them (one shared connection per target):
// a healthy throwaway server yields no warning or critical finding; a dead target yields ONE
// finding (from redis.connect) while the others are skipped, all by the deadline.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { redisChecks } from './index.js'
import { runChecks } from '../../engine/runner.js'
import { configSchema } from '../../config/schema.js'
import { targetSchema } from '../../config/targets.js'
import { targetFromConfig } from '../../config/resolve.js'
import { assertContract } from '../../../test/helpers/check-tester.js'
import { blackhole, freePort } from '../../../test/helpers/ports.js'
import { startRedis, type RedisServer } from '../../../test/helpers/redis-server.js'

const PW = 'Fam1lyPw-Rt55k'
let s: RedisServer
beforeAll(async () => {
  s = await startRedis({ password: PW, aclUsers: [`user app on >${PW} ~* &* +@all`, `user noconfig on >${PW} ~* &* +@all -config`] })
})
afterAll(async () => {
  await s?.stop()
})

async function runAll(url: string, timeoutMs = 5000) {
  const config = configSchema.parse({ timeoutMs, thresholds: { 'redis.clients': { windowMs: 300 }, 'redis.evictions': { windowMs: 300 } } })
  const target = targetFromConfig('cache', targetSchema.parse({ kind: 'redis', url }), 'test')
  const started = performance.now()
  const results = await runChecks(redisChecks.map((check) => ({ check, target })), { config, timeoutMs, concurrency: 16 })
  const elapsed = performance.now() - started
  results.forEach((r, i) => assertContract(redisChecks[i], r, { secrets: [PW], elapsed, timeoutMs }))
  return { results, elapsed }
}

describe('redis.* together', () => {
  test('healthy server (ACL user): every check ok, no warning or critical, one shared connection, fast', async () => {
    const { results, elapsed } = await runAll(s.url('app', PW))
    const bad = results.flatMap((r) => r.findings).filter((f) => f.severity !== 'info')
    expect(bad).toEqual([])
    expect(results.map((r) => [r.id, r.status])).toEqual(redisChecks.map((c) => [c.meta.id, 'ok']))
    const clients = results.find((r) => r.id === 'redis.clients')!
    // medic's own connection is the only one: all seven checks shared it.
    expect(clients.observations['redis.connectedClients']).toBe(1)
    // The observation windows of evictions and clients are one shared wait.
    expect(elapsed).toBeLessThan(1500)
  })

  test('ACL user without CONFIG: checks still run, and say which facts are unknown', async () => {
    const { results } = await runAll(s.url('noconfig', PW))
    expect(results.flatMap((r) => r.findings).filter((f) => f.severity !== 'info')).toEqual([])
    const byId = Object.fromEntries(results.map((r) => [r.id, r]))
    expect(byId['redis.connect'].observations['redis.configAllowed']).toBe(false)
    expect(byId['redis.connect'].evidence.map((e) => e.observed).join('\n')).toMatch(
      /refused \(NOPERM.*\): maxclients, stop-writes-on-bgsave-error, latency-monitor-threshold and slowlog-log-slower-than are unknown/,
    )
    expect(byId['redis.latency'].evidence[1].observed).toMatch(/^no spike recorded, but latency-monitor-threshold is unknown \(CONFIG GET refused: NOPERM.*\): if it is 0 the monitor is off/)
    expect(byId['redis.slowlog'].evidence.map((e) => e.observed).join('\n')).toMatch(/slowlog-log-slower-than unknown \(CONFIG GET refused: NOPERM/)
    // Redis 7 reports maxclients in INFO, so the clients check needs no CONFIG.
    expect(byId['redis.clients'].observations['redis.maxclients']).toBe(10000)
  })

  test('refused port: one finding (redis.unreachable), the other checks skipped pointing at redis.connect', async () => {
    const port = await freePort()
    const { results } = await runAll(`redis://:${PW}@127.0.0.1:${port}`)
    expect(results.flatMap((r) => r.findings.map((f) => f.id))).toEqual(['redis.unreachable'])
    for (const r of results.filter((r) => r.id !== 'redis.connect')) {
      expect(r.status).toBe('skipped')
      expect(r.reason).toBe('redis://:***@127.0.0.1:' + port + ' cannot be used (refused; see redis.connect)')
    }
  })

  test('blackhole port: one finding, every check ends by the deadline', async () => {
    const bh = await blackhole()
    try {
      const { results, elapsed } = await runAll(`redis://127.0.0.1:${bh.port}`, 1500)
      expect(elapsed).toBeLessThan(1500 + 500)
      expect(results.flatMap((r) => r.findings.map((f) => f.id))).toEqual(['redis.unreachable'])
      expect(results.filter((r) => r.status === 'error')).toEqual([])
    } finally {
      await bh.close()
    }
  })
})
