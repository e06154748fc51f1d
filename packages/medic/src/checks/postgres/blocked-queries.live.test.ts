// postgres.blocked-queries against a throwaway cluster: a real row lock blocking an UPDATE.
import pg from 'pg'
import { describe, expect, test } from 'vitest'
import check from './blocked-queries.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { APP_PASSWORD, usePgCluster } from '../../../test/helpers/pg-cluster.js'

const pgc = usePgCluster()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const target = () => ({ kind: 'postgres', url: pgc.cluster.url() })

async function client(app: string) {
  const c = new pg.Client({ connectionString: pgc.cluster.url(), application_name: app })
  c.on('error', () => {})
  await c.connect()
  return c
}
const pidOf = (c: pg.Client) => (c as unknown as { processID: number }).processID

describe('postgres.blocked-queries', () => {
  test('healthy: nobody waits on a lock', async () => {
    const r = await runCheck(check, target(), { secrets: [APP_PASSWORD] })
    expect(r.status).toBe('ok')
    expect(r.observations['postgres.blocked.count']).toBe(0)
  })

  test('a row lock held by an open transaction blocks an UPDATE: critical, with the chain', async () => {
    await pgc.cluster.sql('CREATE TABLE orders (id int primary key, status text); INSERT INTO orders VALUES (1, $$new$$); ALTER TABLE orders OWNER TO app', 'app')
    const holder = await client('admin-console')
    const waiter = await client('checkout-api')
    await holder.query('BEGIN')
    await holder.query("UPDATE orders SET status = 'held' WHERE id = 1")
    const blocked = waiter.query("UPDATE orders SET status = 'paid' WHERE id = 1").catch(() => {})
    try {
      await sleep(1300)
      const r = await runCheck(check, target(), { secrets: [APP_PASSWORD] })
      const f = findingOf(r, 'postgres.blocked-queries')
      expect(f?.severity).toBe('critical')
      const text = evidenceText(f)
      expect(text).toContain(`pid ${pidOf(waiter)} ← pid ${pidOf(holder)}`)
      expect(text).toMatch(new RegExp(`pid ${pidOf(waiter)} \\(app / checkout-api\\) waiting \\d+ s on Lock/transactionid: UPDATE orders SET status = 'paid' WHERE id = 1 ← blocked by pid ${pidOf(holder)} \\(app / admin-console, idle in transaction for \\d+ s`))
      expect(text).toContain("UPDATE orders SET status = 'held' WHERE id = 1")
      expect(f?.title).toContain(`root blocker: pid ${pidOf(holder)}`)
      expect(r.observations['postgres.blocked.count']).toBe(1)
    } finally {
      await holder.query('ROLLBACK')
      await blocked
      await Promise.all([holder.end(), waiter.end()])
    }
  })
})
