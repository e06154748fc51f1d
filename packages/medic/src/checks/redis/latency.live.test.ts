// redis.latency against throwaway redis-servers: a quiet one, and one kept busy by DEBUG SLEEP
// calls from another client so PINGs really queue behind them.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import check from './latency.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { startRedis, type RedisServer } from '../../../test/helpers/redis-server.js'

let quiet: RedisServer
let busy: RedisServer
beforeAll(async () => {
  ;[quiet, busy] = await Promise.all([startRedis(), startRedis({ debug: true, config: { 'latency-monitor-threshold': 20 } })])
})
afterAll(async () => {
  await Promise.all([quiet?.stop(), busy?.stop()])
})

describe('redis.latency', () => {
  test('quiet server: ok with median and max, and says the latency monitor is off and how to enable it', async () => {
    const r = await runCheck(check, { kind: 'redis', url: quiet.url() })
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toMatch(/^median \d+\.\d+ ms, max \d+\.\d+ ms over 5 samples/)
    expect(r.evidence[1]).toEqual({
      label: 'latency monitor',
      observed: 'off (latency-monitor-threshold 0): the server records no latency spikes',
      expected: 'on: CONFIG SET latency-monitor-threshold 100, then LATENCY LATEST / LATENCY DOCTOR',
    })
    expect(r.observations['redis.latencyMonitorEnabled']).toBe(false)
    expect(r.observations['redis.latencyMedianMs']).toBeLessThan(10)
  })

  test('server busy with 40 ms commands: latency (warning or worse), median above 10 ms, monitor spikes listed', async () => {
    const w = busy.admin()
    await w.connect()
    let running = true
    const load = (async () => {
      while (running) await w.call('DEBUG', 'SLEEP', '0.04')
    })()
    try {
      await new Promise((r) => setTimeout(r, 60))
      const r = await runCheck(check, { kind: 'redis', url: busy.url() })
      const f = findingOf(r, 'redis.latency')
      expect(['warning', 'critical']).toContain(f?.severity)
      expect(f?.title).toMatch(/^Redis PING takes \d+\.\d ms \(median\)/)
      expect(r.observations['redis.latencyMedianMs']).toBeGreaterThan(10)
      expect(evidenceText(f)).toMatch(/latency monitor: command \d+ ms \(worst \d+ ms, at /)
      expect(f?.commands[0]).toBe(`redis-cli -h 127.0.0.1 -p ${busy.port} --latency -i 1`)
    } finally {
      running = false
      await load
      w.disconnect()
    }
  })
})
