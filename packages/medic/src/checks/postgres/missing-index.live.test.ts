// postgres.missing-index against a throwaway cluster: a real 20 000-row table filtered without an index.
import pg from 'pg'
import { describe, expect, test } from 'vitest'
import check from './missing-index.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { APP_PASSWORD, usePgCluster } from '../../../test/helpers/pg-cluster.js'

const pgc = usePgCluster()

async function scans(sql: string, n: number) {
  const c = new pg.Client(pgc.cluster.url())
  await c.connect()
  try {
    for (let i = 0; i < n; i++) await c.query(sql, [i])
  } finally {
    // Ending the session flushes its table statistics.
    await c.end()
  }
}

describe('postgres.missing-index', () => {
  test('a 20 000-row table filtered by an unindexed column: warning; adding the index clears it', async () => {
    const c = new pg.Client(pgc.cluster.url())
    await c.connect()
    await c.query('CREATE TABLE events (id int primary key, user_id int, payload text)')
    await c.query("INSERT INTO events SELECT g, g % 500, 'x' FROM generate_series(1, 20000) g")
    await c.end()
    await scans('SELECT count(*) FROM events WHERE user_id = $1', 20)
    const r = await runCheck(check, { kind: 'postgres', url: pgc.cluster.url() }, { secrets: [APP_PASSWORD] })
    const f = findingOf(r, 'postgres.missing-index')
    expect(f?.severity).toBe('warning')
    // 20 filtered scans (plus at most a couple from setup), none through an index, 20 rows read each time.
    expect(evidenceText(f)).toMatch(/public\.events: 0 % of 2[0-2] scans used an index \(2[0-2] sequential, 0 index\), 20 000 live rows, 4[0-4]0 000 rows read sequentially/)
    expect(r.observations['postgres.missingIndex.tables']).toBe(1)

    // Once lookups go through an index (pk lookups here), the share crosses 95 %.
    await scans('SELECT payload FROM events WHERE id = $1 + 1', 500)
    const r2 = await runCheck(check, { kind: 'postgres', url: pgc.cluster.url() }, { secrets: [APP_PASSWORD] })
    expect(r2.status).toBe('ok')
  })
})
