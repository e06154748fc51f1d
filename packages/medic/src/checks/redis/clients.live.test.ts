// redis.clients against throwaway redis-servers: connections held open up to maxclients, and a
// client really blocked in BLPOP.
import { afterAll, describe, expect, test } from 'vitest'
import type { Redis } from 'ioredis'
import check from './clients.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { startRedis, type RedisServer } from '../../../test/helpers/redis-server.js'

const servers: RedisServer[] = []
const held: Redis[] = []
afterAll(async () => {
  for (const c of held) c.disconnect()
  await Promise.all(servers.map((s) => s.stop()))
})
const fast = { config: { thresholds: { 'redis.clients': { windowMs: 300 } } } }

async function hold(s: RedisServer, n: number): Promise<Redis[]> {
  const out: Redis[] = []
  for (let i = 0; i < n; i++) {
    const c = s.admin()
    c.on('error', () => {})
    await c.connect()
    await c.ping()
    out.push(c)
    held.push(c)
  }
  return out
}

describe('redis.clients', () => {
  test('healthy server: ok, no rejection, nobody blocked', async () => {
    const s = await startRedis()
    servers.push(s)
    const r = await runCheck(check, { kind: 'redis', url: s.url() }, fast)
    expect(r.status).toBe('ok')
    expect(evidenceText({ evidence: r.evidence } as never)).toMatch(/connected_clients 1 of maxclients \d+/)
    expect(r.observations['redis.rejectedConnections']).toBe(0)
    expect(r.observations['redis.blockedClients']).toBe(0)
  })

  test('connections held up to 90 % of maxclients: clients-rejected (critical) with the raw numbers', async () => {
    const s = await startRedis({ config: { maxclients: 10 } })
    servers.push(s)
    await hold(s, 8)
    const r = await runCheck(check, { kind: 'redis', url: s.url() }, fast)
    const f = findingOf(r, 'redis.clients-rejected')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toBe('Redis is at 90 % of maxclients')
    expect(evidenceText(f)).toContain("connected_clients 9 of maxclients 10 (90 %, medic's own included)")
    expect(r.observations['redis.clientsUsedPct']).toBe(90)
  })

  test('maxclients was reached and a connection refused: rejected_connections counted (critical)', async () => {
    const s = await startRedis({ config: { maxclients: 4 } })
    servers.push(s)
    const conns = await hold(s, 4)
    // A fifth client is refused by the server ("max number of clients reached").
    const extra = s.admin()
    extra.on('error', () => {})
    await extra.connect().then(() => extra.ping()).catch(() => {})
    extra.disconnect()
    // Free room so medic itself can connect and read the counter.
    conns[0].disconnect()
    conns[1].disconnect()
    await new Promise((r) => setTimeout(r, 100))
    const r = await runCheck(check, { kind: 'redis', url: s.url() }, fast)
    const f = findingOf(r, 'redis.clients-rejected')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toMatch(/^Redis refused [1-9]\d* connections \(maxclients 4\)/)
    expect(evidenceText(f)).toMatch(/rejected_connections: [1-9]\d* since start/)
  })

  test('a client blocked in BLPOP for the whole window: clients-blocked (warning)', async () => {
    const s = await startRedis()
    servers.push(s)
    const [worker] = await hold(s, 1)
    worker.blpop('jobs:never-filled', 0).catch(() => {})
    await new Promise((r) => setTimeout(r, 50))
    const r = await runCheck(check, { kind: 'redis', url: s.url() }, fast)
    const f = findingOf(r, 'redis.clients-blocked')
    expect(f?.severity).toBe('warning')
    expect(f?.title).toMatch(/^1 Redis client blocked for the whole 0\.\d s window/)
    expect(evidenceText(f)).toMatch(/blocked_clients: 1 at start, 1 after 0\.\d s/)
    expect(findingOf(r, 'redis.clients-rejected')).toBeUndefined()
  })
})
