// postgres.long-running-queries against a throwaway cluster running a real pg_sleep query.
import pg from 'pg'
import { describe, expect, test } from 'vitest'
import check from './long-running-queries.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { APP_PASSWORD, usePgCluster } from '../../../test/helpers/pg-cluster.js'

const pgc = usePgCluster()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const target = (o: Record<string, number> = {}) => ({ kind: 'postgres', url: pgc.cluster.url(), thresholds: { 'postgres.long-running-queries': { warningSeconds: 1, ...o } } })

describe('postgres.long-running-queries', () => {
  test('healthy: nothing running long', async () => {
    const r = await runCheck(check, target(), { secrets: [APP_PASSWORD] })
    expect(r.status).toBe('ok')
    expect(r.observations['postgres.longRunning.count']).toBe(0)
  })

  test('a pg_sleep query past the threshold: warning, then critical past criticalSeconds', async () => {
    const c = new pg.Client({ connectionString: pgc.cluster.url(), application_name: 'report-job' })
    c.on('error', () => {})
    await c.connect()
    const running = c.query('SELECT pg_sleep(30) /* nightly report */').catch(() => {})
    try {
      await sleep(1300)
      const r = await runCheck(check, target(), { secrets: [APP_PASSWORD] })
      const f = findingOf(r, 'postgres.long-running-queries')
      expect(f?.severity).toBe('warning')
      const pid = (c as unknown as { processID: number }).processID
      expect(evidenceText(f)).toMatch(new RegExp(`pid ${pid}: app / report-job running \\d+ s, waiting on Timeout/PgSleep: SELECT pg_sleep\\(30\\)`))
      const r2 = await runCheck(check, target({ criticalSeconds: 1 }), { secrets: [APP_PASSWORD] })
      expect(findingOf(r2, 'postgres.long-running-queries')?.severity).toBe('critical')
    } finally {
      await pgc.cluster.sql(`SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'report-job'`)
      await running
      await c.end()
    }
  })
})
