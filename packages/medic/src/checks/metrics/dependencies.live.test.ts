import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { metricsTarget, startMetricsApp, type MetricsApp } from '../../../test/helpers/metrics-app.js'
import dependencies from './dependencies.js'

let app: MetricsApp
beforeAll(async () => {
  app = await startMetricsApp()
})
afterAll(() => app.close())
const cfg = { thresholds: { 'metrics.dependencies': { windowMs: 300 } } }

describe('metrics.dependencies', () => {
  it('is quiet when the error counter stands still', async () => {
    app.redisErrors.inc(5) // old errors, before medic looked
    const r = await runCheck(dependencies, null, { target: metricsTarget(app.url), config: cfg })
    expect(r.status).toBe('ok')
  })

  it('reports redis_connection_errors_total rising during the window', async () => {
    const t = setInterval(() => app.redisErrors.inc(), 20)
    try {
      const r = await runCheck(dependencies, null, { target: metricsTarget(app.url), config: cfg })
      const f = findingOf(r, 'metrics.dependency-errors')
      expect(f?.severity).toBe('critical')
      expect(evidenceText(f)).toMatch(/redis_connection_errors_total: \+\d+ in \d+ ms/)
    } finally {
      clearInterval(t)
    }
  })
})
