import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { metricsTarget, startMetricsApp, type MetricsApp } from '../../../test/helpers/metrics-app.js'
import { blackhole, freePort } from '../../../test/helpers/ports.js'
import scrape from './scrape.js'


let app: MetricsApp
beforeAll(async () => {
  app = await startMetricsApp()
})
afterAll(() => app.close())

describe('metrics.scrape', () => {
  it('scrapes a real prom-client registry twice and says so', async () => {
    const r = await runCheck(scrape, null, { target: metricsTarget(app.url, {}), config: { thresholds: { 'metrics.scrape': { windowMs: 200 } } } })
    expect(r.status).toBe('ok')
    expect(r.observations['metrics.reachable']).toBe(true)
    expect(r.evidence[0].observed).toMatch(/samples twice, \d+ ms apart/)
  })

  it('reports a refused port as metrics.unreachable (critical)', async () => {
    const port = await freePort()
    const r = await runCheck(scrape, null, { target: metricsTarget(`http://127.0.0.1:${port}/metrics`) })
    const f = findingOf(r, 'metrics.unreachable')
    expect(f?.severity).toBe('critical')
    expect(evidenceText(f)).toContain(`connection refused by 127.0.0.1:${port}`)
  })

  it('reports a 404 with its status', async () => {
    const r = await runCheck(scrape, null, { target: metricsTarget(app.url.replace('/metrics', '/nope')) })
    expect(evidenceText(findingOf(r, 'metrics.unreachable'))).toContain('answered HTTP 404')
  })

  it('ends by its deadline on a port that never answers', async () => {
    const hole = await blackhole()
    try {
      const r = await runCheck(scrape, null, { target: metricsTarget(`http://127.0.0.1:${hole.port}/metrics`), timeoutMs: 800 })
      expect(r.status === 'problem' || r.status === 'error').toBe(true)
    } finally {
      await hole.close()
    }
  })
})
