// redis.persistence against a throwaway redis-server whose BGSAVE really fails.
// As root, chmod does not stop Redis from writing, so the fault is made another way: a directory
// sits where the RDB file goes, and the final rename(temp-<pid>.rdb, dump.rdb) fails with EISDIR.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import check from './persistence.js'
import connect from './connect.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { startRedis, type RedisServer } from '../../../test/helpers/redis-server.js'

const servers: RedisServer[] = []
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()))
})

/** Start a server, block its RDB path with a directory, BGSAVE, and wait for the failure. */
async function failingSave(stopWrites: 'yes' | 'no'): Promise<RedisServer> {
  // Save points matter: without any, Redis never refuses writes for a failed save.
  const s = await startRedis({ config: { save: '3600 1', 'stop-writes-on-bgsave-error': stopWrites } })
  servers.push(s)
  mkdirSync(join(s.dir, 'dump.rdb'))
  const c = s.admin()
  await c.connect()
  await c.set('k', 'v')
  await c.bgsave()
  let info = ''
  for (let i = 0; i < 100; i++) {
    info = await c.info('persistence')
    if (info.includes('rdb_bgsave_in_progress:0') && info.includes('rdb_last_bgsave_status:err')) break
    await new Promise((r) => setTimeout(r, 50))
  }
  c.disconnect()
  expect(info).toContain('rdb_last_bgsave_status:err')
  return s
}

describe('redis.persistence', () => {
  test('healthy server: ok, RDB status ok, AOF off', async () => {
    const s = await startRedis()
    servers.push(s)
    const r = await runCheck(check, { kind: 'redis', url: s.url() })
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toMatch(/^rdb_last_bgsave_status ok/)
    expect(r.evidence[1].observed).toBe('off (appendonly no)')
    expect(r.observations['redis.persistenceFailing']).toBe(false)
  })

  test('failed BGSAVE with stop-writes-on-bgsave-error yes: persistence-failing (critical), MISCONF, and the server still counts as reachable', async () => {
    const s = await failingSave('yes')
    const c = s.admin()
    await c.connect()
    await expect(c.set('k2', 'v')).rejects.toThrow(/^MISCONF/)
    c.disconnect()

    const r = await runCheck(check, { kind: 'redis', url: s.url() })
    const f = findingOf(r, 'redis.persistence-failing')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toBe('Redis cannot save to disk: the last RDB save failed (writes refused: MISCONF)')
    expect(evidenceText(f)).toMatch(/RDB: rdb_last_bgsave_status err \(last successful save [^,]+, [1-9]\d* changes since\)/)
    expect(evidenceText(f)).toContain('writes: refused: PING itself answered MISCONF')
    expect(evidenceText(f)).toMatch(/commands refused with MISCONF since start: [1-9]/)
    expect(r.observations['redis.stopWritesOnBgsaveError']).toBe(true)

    // PING answers MISCONF, yet the server is up: no "unreachable".
    const k = await runCheck(connect, { kind: 'redis', url: s.url() })
    expect(k.status).toBe('ok')
    expect(k.evidence[0].observed).toMatch(/^answered "MISCONF Redis is configured to save RDB snapshots/)
  })

  test('failed BGSAVE with stop-writes-on-bgsave-error no: still critical, says writes go on but are not on disk', async () => {
    const s = await failingSave('no')
    const r = await runCheck(check, { kind: 'redis', url: s.url() })
    const f = findingOf(r, 'redis.persistence-failing')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toBe('Redis cannot save to disk: the last RDB save failed')
    expect(evidenceText(f)).toContain('writes: still accepted (stop-writes-on-bgsave-error no): data written now is not on disk')
  })

  test('AOF on and the AOF rewrite failing: persistence-failing (critical) naming the rewrite', async () => {
    const s = await startRedis({ config: { appendonly: 'yes' } })
    servers.push(s)
    // A file where the AOF directory should be: the rewrite cannot create its new base file.
    rmSync(join(s.dir, 'appendonlydir'), { recursive: true, force: true })
    writeFileSync(join(s.dir, 'appendonlydir'), 'not a directory')
    const c = s.admin()
    await c.connect()
    await c.bgrewriteaof().catch(() => {})
    let info = ''
    for (let i = 0; i < 40 && !info.includes('aof_last_bgrewrite_status:err'); i++) {
      await new Promise((r) => setTimeout(r, 50))
      info = await c.info('persistence')
    }
    c.disconnect()
    expect(info).toContain('aof_last_bgrewrite_status:err')

    const r = await runCheck(check, { kind: 'redis', url: s.url() })
    const f = findingOf(r, 'redis.persistence-failing')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toBe('Redis cannot save to disk: the last AOF rewrite failed')
    expect(evidenceText(f)).toContain('AOF: aof_last_write_status ok, aof_last_bgrewrite_status err (expected ok)')
    expect(r.observations['redis.aofEnabled']).toBe(true)
  })
})
