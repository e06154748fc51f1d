// redis.slowlog against throwaway redis-servers where slow commands really ran (DEBUG SLEEP, and
// a Lua busy loop whose arguments hold planted secrets that must never reach the output).
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import check from './slowlog.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { startRedis, type RedisServer } from '../../../test/helpers/redis-server.js'

const SECRET_KEY = 'session:tok-9fQ2xLp7'
const SECRET_VAL = 'CardNo-4111-1111-1111'
// Spins for ~25 ms inside Redis: a slow command with arguments.
const BUSY = "local s=redis.call('TIME') while true do local n=redis.call('TIME') if (n[1]-s[1])*1000000+(n[2]-s[2]) > 25000 then break end end return 1"

let s: RedisServer
let coarse: RedisServer
beforeAll(async () => {
  ;[s, coarse] = await Promise.all([
    startRedis({ debug: true, config: { 'slowlog-log-slower-than': 5000 } }),
    startRedis({ debug: true, config: { 'slowlog-log-slower-than': 1_000_000 } }),
  ])
})
afterAll(async () => {
  await Promise.all([s?.stop(), coarse?.stop()])
})

describe('redis.slowlog', () => {
  test('healthy server: ok, no slow command', async () => {
    const r = await runCheck(check, { kind: 'redis', url: s.url() })
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toMatch(/^none slower than 10 ms in the last 15 min/)
    expect(r.observations['redis.slowlogEntries']).toBe(0)
  })

  test('DEBUG SLEEP and a slow EVAL: slowlog (warning) listing command names and arg counts, arguments redacted', async () => {
    const c = s.admin()
    await c.connect()
    await c.call('DEBUG', 'SLEEP', '0.05')
    await c.eval(BUSY, 1, SECRET_KEY, SECRET_VAL)
    c.disconnect()

    const r = await runCheck(check, { kind: 'redis', url: s.url() }, { secrets: [SECRET_KEY, SECRET_VAL, 'tok-9fQ2xLp7'] })
    const f = findingOf(r, 'redis.slowlog')
    expect(f?.severity).toBe('warning')
    expect(f?.title).toBe('2 Redis commands slower than 10 ms in the last 15 min (DEBUG, EVAL)')
    expect(evidenceText(f)).toContain('slow commands: DEBUG ×1, EVAL ×1')
    // Slowest first; the order of the two depends on this machine's load, so check each.
    expect(evidenceText(f)).toMatch(/slowest: .*DEBUG \(2 args, redacted\) \d+\.\d ms at \S+ from 127\.0\.0\.1:\d+/)
    expect(evidenceText(f)).toMatch(/slowest: .*EVAL \(4 args, redacted\) \d+\.\d ms at /)
    expect(JSON.stringify(r)).not.toContain('SLEEP')
    expect(r.observations['redis.slowlogEntries']).toBe(2)
  })

  test('slowlog-log-slower-than above the threshold: says which entries cannot be seen', async () => {
    const r = await runCheck(check, { kind: 'redis', url: coarse.url() })
    expect(r.status).toBe('ok')
    expect(evidenceText({ evidence: r.evidence } as never)).toContain('records only commands slower than 1000 ms (slowlog-log-slower-than 1000000): entries between 10 and 1000 ms are not seen')
  })
})
