import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { metricsTarget, observe, startMetricsApp, type MetricsApp } from '../../../test/helpers/metrics-app.js'
import errors from './errors.js'

let app: MetricsApp
beforeAll(async () => {
  app = await startMetricsApp()
})
afterAll(() => app.close())

describe('metrics.errors', () => {
  it('reports a 5xx storm happening during the observation window', async () => {
    observe(app, 100, 0.01)
    // A background "storm": 500s keep coming while medic watches.
    const storm = setInterval(() => observe(app, 3, 0.01, '503'), 20)
    try {
      const r = await runCheck(errors, null, { target: metricsTarget(app.url), config: { thresholds: { 'metrics.errors': { windowMs: 500 } } } })
      const f = findingOf(r, 'metrics.error-rate-high')
      expect(f?.severity).toBe('critical')
      expect(evidenceText(f)).toMatch(/5xx per minute: \d+\.\d \(\d+ of \d+ responses were 5xx in \d+ ms/)
    } finally {
      clearInterval(storm)
    }
  })

  it('does not extrapolate a single old 5xx into a storm', async () => {
    const quiet = await startMetricsApp()
    try {
      observe(quiet, 100, 0.01)
      observe(quiet, 1, 0.01, '500')
      const r = await runCheck(errors, null, { target: metricsTarget(quiet.url), config: { thresholds: { 'metrics.errors': { windowMs: 200 } } } })
      expect(r.status).toBe('ok')
    } finally {
      await quiet.close()
    }
  })
})
