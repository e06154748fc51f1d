// The throwaway-cluster harness itself: starts, accepts the app password, rejects a wrong one, stops.
import { existsSync } from 'node:fs'
import { expect, test } from 'vitest'
import pg from 'pg'
import { startPgCluster } from './pg-cluster.js'

test('startPgCluster: app password auth, pg_stat_statements, stop removes the dir', async () => {
  const c = await startPgCluster({ maxConnections: 12, reserved: 2 })
  try {
    const cl = new pg.Client(c.url())
    await cl.connect()
    const r = await cl.query("select current_user, current_setting('max_connections') as mc, current_setting('superuser_reserved_connections') as rc")
    expect(r.rows[0]).toEqual({ current_user: 'app', mc: '12', rc: '2' })
    await cl.end()
    const bad = new pg.Client(c.url('app', 'app', 'wrong'))
    await expect(bad.connect()).rejects.toMatchObject({ code: '28P01' })
    const s = await c.sql("select count(*)::int as n from pg_extension where extname = 'pg_stat_statements'", 'app')
    expect(s.rows[0].n).toBe(1)
  } finally {
    await c.stop()
  }
  expect(existsSync(c.dir)).toBe(false)
})
