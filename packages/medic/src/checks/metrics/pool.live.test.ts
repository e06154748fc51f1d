import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { metricsTarget, startMetricsApp, type MetricsApp } from '../../../test/helpers/metrics-app.js'
import pool from './pool.js'

let app: MetricsApp
beforeAll(async () => {
  app = await startMetricsApp()
})
afterAll(() => app.close())
const cfg = { thresholds: { 'metrics.pool': { windowMs: 50 } } }

describe('metrics.pool', () => {
  it('is ok at 30 % in use', async () => {
    app.poolInUse.set(3)
    app.poolWaiting.set(0)
    const r = await runCheck(pool, null, { target: metricsTarget(app.url), config: cfg })
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toBe('3 of 10 (30 %, db_pool_in_use / db_pool_size)')
  })

  it('is critical at 90 % in use with requests waiting', async () => {
    app.poolInUse.set(9)
    app.poolWaiting.set(4)
    const r = await runCheck(pool, null, { target: metricsTarget(app.url), config: cfg })
    const f = findingOf(r, 'metrics.pool-saturated')
    expect(f?.severity).toBe('critical')
    expect(evidenceText(f)).toContain('pool in use: 9 of 10 (90 %')
    expect(evidenceText(f)).toContain('waiting for a connection: 4')
  })
})
