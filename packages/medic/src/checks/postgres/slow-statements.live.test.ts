// postgres.slow-statements against a throwaway cluster with pg_stat_statements preloaded.
import pg from 'pg'
import { describe, expect, test } from 'vitest'
import check from './slow-statements.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { APP_PASSWORD, usePgCluster, withPgCluster } from '../../../test/helpers/pg-cluster.js'

const pgc = usePgCluster()

describe('postgres.slow-statements', () => {
  test('healthy with default thresholds: nothing slow', async () => {
    const r = await runCheck(check, { kind: 'postgres', url: pgc.cluster.url() }, { secrets: [APP_PASSWORD] })
    expect(r.reason).toBeUndefined()
    expect(r.status).toBe('ok')
    expect(r.observations['postgres.statements.available']).toBe(true)
  })

  test('repeated slow statements (pg_sleep 60 ms × 6) over lowered thresholds: warning with mean, calls, total', async () => {
    const c = new pg.Client(pgc.cluster.url())
    await c.connect()
    try {
      for (let i = 0; i < 6; i++) await c.query('SELECT pg_sleep(0.06), $1::int AS report_id', [i])
    } finally {
      await c.end()
    }
    const r = await runCheck(check, { kind: 'postgres', url: pgc.cluster.url(), thresholds: { 'postgres.slow-statements': { meanMs: 50, minCalls: 5 } } }, { secrets: [APP_PASSWORD] })
    const f = findingOf(r, 'postgres.slow-statements')
    expect(f?.severity).toBe('warning')
    expect(evidenceText(f)).toMatch(/#1: mean 6\d\.\d ms × 6 calls = 0\.\d s total, 6 rows: SELECT pg_sleep\(\$\d\), \$\d::int AS report_id/)
    expect(f?.commands[0]).toContain('mean_exec_time')
    // With every threshold at zero, medic's own statements still never show up.
    const all = await runCheck(check, { kind: 'postgres', url: pgc.cluster.url(), thresholds: { 'postgres.slow-statements': { meanMs: 0, minCalls: 1, top: 500 } } }, { secrets: [APP_PASSWORD] })
    const listed = evidenceText(findingOf(all, 'postgres.slow-statements'))
    expect(listed).toContain('report_id')
    expect(listed).not.toMatch(/pg_stat_statements|set_config|READ ONLY|pg_settings|ROLLBACK|BEGIN|pg_backend_pid/)
  })

  test('extension not created in the database: info finding saying how to enable it', async () => {
    await pgc.cluster.sql('DROP EXTENSION pg_stat_statements', 'app')
    try {
      const r = await runCheck(check, { kind: 'postgres', url: pgc.cluster.url() }, { secrets: [APP_PASSWORD] })
      const f = findingOf(r, 'postgres.slow-statements')
      expect(f?.severity).toBe('info')
      expect(f?.title).toContain('not created in database "app"')
      expect(f?.fix).toContain('CREATE EXTENSION pg_stat_statements')
      expect(r.observations['postgres.statements.available']).toBe(false)
    } finally {
      await pgc.cluster.sql('CREATE EXTENSION pg_stat_statements', 'app')
    }
  })

  test('library not preloaded: info either way (superuser sees the setting; a plain role hits the 55000 error)', async () => {
    await withPgCluster({ preload: [] }, async (c) => {
      const r = await runCheck(check, { kind: 'postgres', url: c.superUrl })
      const f = findingOf(r, 'postgres.slow-statements')
      expect(f?.severity).toBe('info')
      expect(f?.title).toContain('not preloaded and not created')
      expect(evidenceText(f)).toContain('shared_preload_libraries: (empty)')
      // Created without the library: the view exists but errors when read.
      await c.sql('CREATE EXTENSION pg_stat_statements', 'app')
      const r2 = await runCheck(check, { kind: 'postgres', url: c.url() }, { secrets: [APP_PASSWORD] })
      const f2 = findingOf(r2, 'postgres.slow-statements')
      expect(f2?.severity).toBe('info')
      expect(f2?.title).toContain('created but not in shared_preload_libraries')
      expect(f2?.fix).toContain("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
    })
  })
})
