// postgres.idle-in-transaction against a throwaway cluster with real sessions left idle in a transaction.
import pg from 'pg'
import { describe, expect, test } from 'vitest'
import check from './idle-in-transaction.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { APP_PASSWORD, usePgCluster } from '../../../test/helpers/pg-cluster.js'

const pgc = usePgCluster({ maxConnections: 10, reserved: 3 })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const target = (o: Record<string, number> = {}) => ({ kind: 'postgres', url: pgc.cluster.url(), thresholds: { 'postgres.idle-in-transaction': { warningSeconds: 1, ...o } } })

async function idleSession(url: string, app: string, sql: string) {
  const c = new pg.Client({ connectionString: url, application_name: app })
  c.on('error', () => {})
  await c.connect()
  await c.query('BEGIN')
  await c.query(sql)
  return c
}

describe('postgres.idle-in-transaction', () => {
  test('healthy: no session idle in transaction', async () => {
    const r = await runCheck(check, target(), { secrets: [APP_PASSWORD] })
    expect(r.status).toBe('ok')
    expect(r.observations['postgres.idleInTransaction.count']).toBe(0)
  })

  test('one session idle in transaction past the threshold: warning with pid, app, client, age, last query', async () => {
    await pgc.cluster.sql('CREATE TABLE IF NOT EXISTS accounts (id int primary key, balance int); GRANT ALL ON accounts TO app; INSERT INTO accounts VALUES (1, 10) ON CONFLICT DO NOTHING', 'app')
    const c = await idleSession(pgc.cluster.url(), 'billing-worker', 'UPDATE accounts SET balance = balance - 1 WHERE id = 1')
    try {
      await sleep(1300)
      const r = await runCheck(check, target(), { secrets: [APP_PASSWORD] })
      const f = findingOf(r, 'postgres.idle-in-transaction')
      expect(f?.severity).toBe('warning')
      const pid = (c as unknown as { processID: number }).processID
      const text = evidenceText(f)
      expect(text).toMatch(new RegExp(`pid ${pid}: app / billing-worker from 127\\.0\\.0\\.1, idle in transaction for \\d+ s`))
      expect(text).toContain('last query: UPDATE accounts SET balance = balance - 1 WHERE id = 1')
      expect(r.observations['postgres.idleInTransaction.overThreshold']).toBe(1)
    } finally {
      await c.end()
    }
  })

  test('sessions over 20 % of usable slots: critical', async () => {
    // 7 usable slots: 2 idle-in-transaction sessions are 28 %.
    const a = await idleSession(pgc.cluster.url(), 'w1', 'SELECT 1')
    const b = await idleSession(pgc.cluster.url(), 'w2', 'SELECT 2')
    try {
      await sleep(1200)
      const r = await runCheck(check, target(), { secrets: [APP_PASSWORD] })
      const f = findingOf(r, 'postgres.idle-in-transaction')
      expect(f?.severity).toBe('critical')
      expect(evidenceText(f)).toMatch(/2 session\(s\) over 1 s, longest \d+ s; 28.6 % of 7 usable slots/)
    } finally {
      await Promise.all([a.end(), b.end()])
    }
  })

  test('a session of another role is hidden from a non-privileged role, and the evidence says so', async () => {
    const su = await idleSession(pgc.cluster.superUrl, 'admin-shell', 'SELECT 1')
    try {
      await sleep(1200)
      const r = await runCheck(check, target(), { secrets: [APP_PASSWORD] })
      expect(r.status).toBe('ok')
      expect(r.observations['postgres.activity.hiddenSessions']).toBeGreaterThanOrEqual(1)
      expect(r.evidence.map((e) => e.observed).join('\n')).toContain('GRANT pg_monitor TO "app"')
      // With pg_monitor the same session is seen.
      await pgc.cluster.sql('GRANT pg_monitor TO app')
      const r2 = await runCheck(check, target(), { secrets: [APP_PASSWORD] })
      expect(evidenceText(findingOf(r2, 'postgres.idle-in-transaction'))).toContain('postgres / admin-shell')
      await pgc.cluster.sql('REVOKE pg_monitor FROM app')
    } finally {
      await su.end()
    }
  })
})
