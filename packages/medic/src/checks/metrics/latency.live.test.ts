import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { metricsTarget, observe, startMetricsApp, type MetricsApp } from '../../../test/helpers/metrics-app.js'
import latency from './latency.js'

let app: MetricsApp
beforeAll(async () => {
  app = await startMetricsApp()
})
afterEach(() => app.duration.reset())
afterAll(() => app.close())

const fast = { thresholds: { 'metrics.latency': { windowMs: 100 } } }

describe('metrics.latency', () => {
  it('is quiet for fast requests', async () => {
    observe(app, 200, 0.02)
    const r = await runCheck(latency, null, { target: metricsTarget(app.url), config: fast })
    expect(r.status).toBe('ok')
    expect(r.observations['metrics.p95Ms']).toBeLessThan(50)
  })

  it('warns when p95 is above 500 ms and names the basis', async () => {
    observe(app, 90, 0.02)
    observe(app, 10, 1.5)
    const r = await runCheck(latency, null, { target: metricsTarget(app.url), config: fast })
    const f = findingOf(r, 'metrics.latency-high')
    expect(f?.severity).toBe('warning')
    expect(evidenceText(f)).toMatch(/p95: \d+ ms \(100 requests since start/)
  })

  it('is critical above 2 s', async () => {
    observe(app, 100, 4)
    const r = await runCheck(latency, null, { target: metricsTarget(app.url), config: fast })
    expect(findingOf(r, 'metrics.latency-high')?.severity).toBe('critical')
  })

  it('skips with a reason when there is no histogram', async () => {
    const r = await runCheck(latency, null, { target: metricsTarget(app.url), config: fast })
    expect(r.status).toBe('skipped')
    expect(r.reason).toContain('no request duration histogram')
  })
})
