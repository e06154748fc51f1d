// postgres.deadlocks against a throwaway cluster: two sessions really deadlock during the window.
import pg from 'pg'
import { describe, expect, test } from 'vitest'
import check from './deadlocks.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { APP_PASSWORD, usePgCluster } from '../../../test/helpers/pg-cluster.js'

const pgc = usePgCluster({ settings: { deadlock_timeout: '100ms' } })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const target = (windowMs: number) => ({ kind: 'postgres', url: pgc.cluster.url(), thresholds: { 'postgres.deadlocks': { windowMs } } })

async function client() {
  const c = new pg.Client(pgc.cluster.url())
  c.on('error', () => {})
  await c.connect()
  return c
}

async function deadlock() {
  const a = await client()
  const b = await client()
  await a.query('BEGIN')
  await b.query('BEGIN')
  await a.query('UPDATE ledger SET v = v + 1 WHERE id = 1')
  await b.query('UPDATE ledger SET v = v + 1 WHERE id = 2')
  const pa = a.query('UPDATE ledger SET v = v + 1 WHERE id = 2').then(() => 'ok', (e) => e.code)
  await sleep(50)
  const pb = b.query('UPDATE ledger SET v = v + 1 WHERE id = 1').then(() => 'ok', (e) => e.code)
  const outcomes = await Promise.all([pa, pb])
  await Promise.all([a.query('ROLLBACK').catch(() => {}), b.query('ROLLBACK').catch(() => {})])
  // Ending the sessions flushes their statistics (the deadlock counter) right away.
  await Promise.all([a.end(), b.end()])
  return outcomes
}

describe('postgres.deadlocks', () => {
  test('healthy: the counter does not move during the window', async () => {
    await pgc.cluster.sql('CREATE TABLE ledger (id int primary key, v int); INSERT INTO ledger VALUES (1, 0), (2, 0); ALTER TABLE ledger OWNER TO app', 'app')
    const r = await runCheck(check, target(500), { secrets: [APP_PASSWORD] })
    expect(r.status).toBe('ok')
    expect(r.observations['postgres.deadlocks.delta']).toBe(0)
  })

  test('a deadlock during the observation window: warning with the counter before and after', async () => {
    const running = runCheck(check, target(2500), { secrets: [APP_PASSWORD] })
    await sleep(400)
    const outcomes = await deadlock()
    expect(outcomes).toContain('40P01')
    const r = await running
    const f = findingOf(r, 'postgres.deadlocks')
    expect(f?.severity).toBe('warning')
    expect(evidenceText(f)).toMatch(/deadlocks during the window: 0 → 1 \(\+1\) in \d+\.\d s/)
    expect(r.observations['postgres.deadlocks.total']).toBe(1)
  })
})
