/**
 * medic's p95 from the raw scrape must agree with a real Prometheus server's histogram_quantile
 * over the same data. Starts Prometheus (Debian package `prometheus`) on a free port, scraping a
 * real prom-client registry every second; skips nothing: without the binary the test fails.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { metricsTarget, observe, startMetricsApp, type MetricsApp } from '../../test/helpers/metrics-app.js'
import { freePort } from '../../test/helpers/ports.js'
import { runCheck } from '../../test/helpers/check-tester.js'
import latency from '../checks/metrics/latency.js'
import scrape from '../checks/metrics/scrape.js'
import { parseExposition } from './parse.js'
import { histogramQuantile } from './quantile.js'
import { latencyBuckets } from './select.js'

let app: MetricsApp
let prom: ChildProcess
let promUrl: string
let dir: string

async function query(q: string): Promise<number | undefined> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`)
  const doc = (await res.json()) as { data: { result: { value: [number, string] }[] } }
  return doc.data.result[0] ? Number(doc.data.result[0].value[1]) : undefined
}

beforeAll(async () => {
  app = await startMetricsApp()
  // A spread of latencies across several buckets.
  observe(app, 400, 0.003)
  observe(app, 300, 0.04)
  observe(app, 200, 0.3)
  observe(app, 80, 0.8)
  observe(app, 20, 3)
  dir = mkdtempSync(join(tmpdir(), 'medic-prom-'))
  const port = await freePort()
  promUrl = `http://127.0.0.1:${port}`
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: app\n    static_configs: [{ targets: ['127.0.0.1:${app.port}'] }]\n`,
  )
  prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' })
  const until = Date.now() + 30_000
  for (;;) {
    try {
      if ((await query('sum(http_request_duration_seconds_count)')) === 1000) break
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error('Prometheus did not scrape the test app within 30 s')
    await new Promise((r) => setTimeout(r, 300))
  }
}, 60_000)

afterAll(async () => {
  prom?.kill('SIGKILL')
  await app?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('agreement with Prometheus', () => {
  it.each([0.5, 0.9, 0.95, 0.99])('quantile %s from the raw scrape equals histogram_quantile', async (q) => {
    const fromProm = await query(`histogram_quantile(${q}, sum by (le) (http_request_duration_seconds_bucket))`)
    const text = await (await fetch(app.url)).text()
    const mine = histogramQuantile(q, latencyBuckets(parseExposition(text).samples)!.buckets)
    expect(fromProm).toBeDefined()
    expect(mine).toBeCloseTo(fromProm!, 9)
  })

  it('metrics.latency reports the same p95 as Prometheus', async () => {
    const fromProm = (await query('histogram_quantile(0.95, sum by (le) (http_request_duration_seconds_bucket))'))!
    const r = await runCheck(latency, null, { target: metricsTarget(app.url), config: { thresholds: { 'metrics.latency': { windowMs: 100 } } } })
    expect(r.observations['metrics.p95Ms']).toBe(Math.round(fromProm * 1000))
    expect(r.findings[0]?.id).toBe('metrics.latency-high') // p95 is 0.8 s here: above 500 ms
  })

  it('reads the same questions from the Prometheus query API', async () => {
    const api = { id: 'prom', kind: 'metrics' as const, address: promUrl, options: { prometheus: promUrl, job: 'app' }, thresholds: {}, source: 'test' }
    const r = await runCheck(scrape, null, { target: api })
    expect(r.status).toBe('ok')
    expect(r.evidence[0]).toMatchObject({ label: 'Prometheus API', observed: 'answers queries' })
  })
})
