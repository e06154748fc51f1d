/**
 * mysql.connections and the "Too many connections" login failure, against a throwaway MariaDB with
 * max_connections = 10 filled by connections the test really holds open.
 */
import type { Connection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { ADMIN_PASSWORD, APP_PASSWORD, startMariaDb, type MariaDbServer } from '../../../test/helpers/mariadb-server.js'
import connect from './connect.js'
import connections from './connections.js'

const secrets = [APP_PASSWORD, ADMIN_PASSWORD]
let db: MariaDbServer
const held: Connection[] = []

async function hold(n: number) {
  for (let i = 0; i < n; i++) held.push(await db.connect())
}
async function releaseAll() {
  await Promise.all(held.splice(0).map((c) => c.end().catch(() => c.destroy())))
  // The server counts a thread until it has processed the quit (and root itself may find no slot for a moment).
  for (let i = 0; i < 100; i++) {
    const rows = (await db.root("SHOW GLOBAL STATUS LIKE 'Threads_connected'").catch(() => [{ Value: '99' }])) as { Value: string }[]
    if (Number(rows[0].Value) <= 1) return
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error('held connections did not close')
}

beforeAll(async () => {
  db = await startMariaDb({ maxConnections: 10 })
})
afterAll(async () => {
  await releaseAll().catch(() => {})
  await db?.stop()
})

describe('mysql.connections', () => {
  it('a quiet server: ok, 0 of 10 used', async () => {
    const r = await runCheck(connections, { kind: 'mysql', url: db.url() }, { secrets })
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toMatch(/^0 of 10 used \(0 %; Threads_connected 1 minus medic's own session; max_connections 10\)/)
    expect(r.observations['mysql.maxConnections']).toBe(10)
    expect(r.observations['mysql.connectionsUsedPct']).toBe(0)
  })

  it('8 of 10 held by the app: warning, names who holds them', async () => {
    await hold(8)
    const r = await runCheck(connections, { kind: 'mysql', url: db.url() }, { secrets })
    const f = findingOf(r, 'mysql.connections-saturated')
    expect(f?.severity).toBe('warning')
    expect(f?.title).toContain('8 of 10 used (80 %)')
    expect(evidenceText(f)).toContain('held by: app@127.0.0.1 8 Sleep')
    expect(r.observations['mysql.connectionsUsedPct']).toBe(80)

    // Thresholds are configurable per target: the same 80 % is critical with criticalPct 80.
    const strict = await runCheck(connections, { kind: 'mysql', url: db.url(), thresholds: { 'mysql.connections-saturated': { criticalPct: 80 } } }, { secrets })
    expect(findingOf(strict, 'mysql.connections-saturated')?.severity).toBe('critical')
  })

  it('all 10 held: the app login is refused with 1040 (critical, from mysql.connect); mysql.connections skips', async () => {
    await hold(2)
    const r = await runCheck(connect, { kind: 'mysql', url: db.url() }, { secrets })
    const f = findingOf(r, 'mysql.connections-saturated')
    expect(f?.severity).toBe('critical')
    expect(evidenceText(f)).toContain('too many connections (max_connections reached) (ER_CON_COUNT_ERROR 1040)')
    expect(evidenceText(f)).toContain('server said: Too many connections')
    expect(r.observations['mysql.connectionsUsedPct']).toBe(100)

    const skipped = await runCheck(connections, { kind: 'mysql', url: db.url() }, { secrets })
    expect(skipped.status).toBe('skipped')
    expect(skipped.reason).toContain('see mysql.connect')
  })

  it('all 10 held, medic as an admin in the spare slot: critical 10 of 10', async () => {
    const r = await runCheck(connections, { kind: 'mysql', url: db.url({ user: 'admin' }) }, { secrets })
    const f = findingOf(r, 'mysql.connections-saturated')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toContain('exhausted: 10 of 10 used (100 %)')
    expect(evidenceText(f)).toContain('peak since start: 11 of 10 (110 %')
    expect(evidenceText(f)).toContain('above max_connections, logins were refused')
  })

  it('after the burst: info, the peak and the refused logins since start', async () => {
    await releaseAll()
    const r = await runCheck(connections, { kind: 'mysql', url: db.url() }, { secrets })
    const f = findingOf(r, 'mysql.connections-saturated')
    expect(f?.severity).toBe('info')
    // MariaDB counts a refusal in Connection_errors_max_connections only when it happens at accept time (a race with the admin slot).
    expect(f?.title).toMatch(/were nearly exhausted earlier: peak 11 of 10 since start( \(above max_connections\)|, \d+ logins refused)$/)
    expect(r.observations['mysql.maxUsedConnections']).toBe(11)
    expect(r.observations['mysql.connectionsUsedPct']).toBe(0)
  })
})
