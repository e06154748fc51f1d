// postgres.cache-hit against a throwaway cluster: a table larger than shared_buffers read sequentially.
import pg from 'pg'
import { describe, expect, test } from 'vitest'
import check from './cache-hit.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { APP_PASSWORD, usePgCluster } from '../../../test/helpers/pg-cluster.js'

const pgc = usePgCluster({ settings: { shared_buffers: '8MB' } })

describe('postgres.cache-hit', () => {
  test('healthy: small hot table, no finding', async () => {
    const c = new pg.Client(pgc.cluster.url())
    await c.connect()
    await c.query('CREATE TABLE small AS SELECT g AS id FROM generate_series(1, 1000) g')
    for (let i = 0; i < 300; i++) await c.query('SELECT count(*) FROM small')
    await c.end()
    const r = await runCheck(check, { kind: 'postgres', url: pgc.cluster.url(), thresholds: { 'postgres.cache-hit': { minBlocks: 100 } } }, { secrets: [APP_PASSWORD] })
    expect(r.findings).toEqual([])
    expect(r.status).toBe('ok')
    expect(r.observations['postgres.cacheHit.heapPct']).toBeGreaterThan(99)
  })

  test('a 30 MB table scanned through 8 MB shared_buffers: heap hit ratio low, warning', async () => {
    const c = new pg.Client(pgc.cluster.url())
    await c.connect()
    await c.query("CREATE TABLE big AS SELECT g AS id, repeat('x', 200) AS pad FROM generate_series(1, 120000) g")
    // Sequential scans of a table over a quarter of shared_buffers go through a small ring: mostly misses.
    for (let i = 0; i < 3; i++) await c.query('SELECT count(*) FROM big')
    await c.end()
    const r = await runCheck(check, { kind: 'postgres', url: pgc.cluster.url(), thresholds: { 'postgres.cache-hit': { minBlocks: 100 } } }, { secrets: [APP_PASSWORD] })
    const f = findingOf(r, 'postgres.cache-hit-low')
    expect(f?.severity).toBe('warning')
    expect(f?.title).toMatch(/heap \d+(\.\d+)? % \(shared_buffers 8MB\)/)
    expect(evidenceText(f)).toMatch(/heap cache hit: \d+(\.\d+)? % \([\d ]+ hits \/ [\d ]+ block reads\)/)
    expect(r.observations['postgres.cacheHit.heapPct']).toBeLessThan(99)
  })
})
