// The shared session itself (connection.ts) against a throwaway cluster: read-only, bounded by the
// deadline, named medic, one session shared by the checks of a run, and a server that drops medic.
import { describe, expect, test } from 'vitest'
import { defineCheck } from '../../engine/check.js'
import { ResourceCache } from '../../engine/shared.js'
import { runCheck } from '../../../test/helpers/check-tester.js'
import { APP_PASSWORD, usePgCluster } from '../../../test/helpers/pg-cluster.js'
import { readOnly, requireSession } from './connection.js'

const pgc = usePgCluster()

/** A probe check that runs `sql` through readOnly and records the outcome as observations. */
const probe = (sql: string) =>
  defineCheck({
    meta: { id: 'postgres.probe', title: 'probe', targets: ['postgres'], description: 'test probe', defaults: {}, findings: {} },
    async run(ctx) {
      const s = await requireSession(ctx)
      try {
        const rows = await readOnly(ctx, s, (q) => q(sql))
        ctx.observe('result', JSON.stringify(rows))
      } catch (err) {
        ctx.observe('code', (err as { code?: string }).code ?? String(err))
      }
      ctx.observe('pid', s.pid)
    },
  })

describe('postgres connection', () => {
  test('queries run in a read-only transaction: a write is refused (25006)', async () => {
    const r = await runCheck(probe('CREATE TABLE medic_should_not_exist (i int)'), { kind: 'postgres', url: pgc.cluster.url() }, { secrets: [APP_PASSWORD] })
    expect(r.observations.code).toBe('25006')
    const left = await pgc.cluster.sql("SELECT count(*)::int AS n FROM pg_class WHERE relname = 'medic_should_not_exist'", 'app')
    expect(left.rows[0].n).toBe(0)
  })

  test('statement_timeout follows the deadline: a 10 s statement is cancelled (57014) before a 1.5 s deadline', async () => {
    const t0 = performance.now()
    const r = await runCheck(probe('SELECT pg_sleep(10)'), { kind: 'postgres', url: pgc.cluster.url() }, { timeoutMs: 1500, secrets: [APP_PASSWORD] })
    expect(r.observations.code).toBe('57014')
    expect(performance.now() - t0).toBeLessThan(1500)
  })

  test('the session is named medic, read only, with both timeouts set', async () => {
    const r = await runCheck(
      probe("SELECT application_name, current_setting('transaction_read_only') AS ro, current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt FROM pg_stat_activity WHERE pid = pg_backend_pid()"),
      { kind: 'postgres', url: pgc.cluster.url() },
      { secrets: [APP_PASSWORD] },
    )
    const [row] = JSON.parse(String(r.observations.result))
    expect(row.application_name).toBe('medic')
    expect(row.ro).toBe('on')
    expect(row.st).toMatch(/^\d+ms$|^\d+s$/)
    expect(row.lt).toMatch(/^\d+ms$|^\d+s$/)
  })

  test('checks of one run share one session', async () => {
    const shared = new ResourceCache()
    try {
      const a = await runCheck(probe('SELECT 1'), { kind: 'postgres', url: pgc.cluster.url() }, { shared, secrets: [APP_PASSWORD] })
      const b = await runCheck(probe('SELECT 2'), { kind: 'postgres', url: pgc.cluster.url() }, { shared, secrets: [APP_PASSWORD] })
      expect(a.observations.pid).toBe(b.observations.pid)
    } finally {
      await shared.disposeAll()
    }
  })

  test('the server ends medic\'s session mid-run: the next query fails cleanly, nothing crashes', async () => {
    const shared = new ResourceCache()
    try {
      const a = await runCheck(probe('SELECT 1'), { kind: 'postgres', url: pgc.cluster.url() }, { shared, secrets: [APP_PASSWORD] })
      await pgc.cluster.sql(`SELECT pg_terminate_backend(${Number(a.observations.pid)})`)
      const b = await runCheck(probe('SELECT 2'), { kind: 'postgres', url: pgc.cluster.url() }, { shared, secrets: [APP_PASSWORD] })
      expect(String(b.observations.code)).toMatch(/57P01|terminat|not queryable|Connection/i)
    } finally {
      await shared.disposeAll()
    }
  })
})
