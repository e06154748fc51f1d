import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../test/helpers/cli.js'
import { observe, startMetricsApp, type MetricsApp } from '../../../test/helpers/metrics-app.js'
import { freePort } from '../../../test/helpers/ports.js'

let app: MetricsApp
beforeAll(async () => {
  app = await startMetricsApp()
})
afterAll(() => app.close())

describe('medic metrics <url>', () => {
  it('scrapes a real prom-client app and reports high latency and a saturated pool', async () => {
    observe(app, 100, 3)
    app.poolInUse.set(10)
    const r = await runCli(['metrics', app.url, '--json'])
    const doc = JSON.parse(r.stdout)
    expect(doc.findings.map((f: { id: string }) => f.id).sort()).toEqual(['metrics.latency-high', 'metrics.pool-saturated'])
    expect(r.code).toBe(2)
  })

  it('--window 0 takes a snapshot: no observation window', async () => {
    const t0 = performance.now()
    const r = await runCli(['metrics', app.url, '--json', '--window', '0'])
    expect(JSON.parse(r.stdout).checks.every((c: { durationMs: number }) => c.durationMs < 400)).toBe(true)
    expect(performance.now() - t0).toBeLessThan(1500)
  })

  it('reports an unreachable endpoint as critical, and a non-URL as a usage error', async () => {
    const port = await freePort()
    const dead = await runCli(['metrics', `http://127.0.0.1:${port}/metrics`, '--format', 'nagios'])
    expect(dead.stdout).toMatch(/^MEDIC CRITICAL - 1 critical, 0 warning: \[metrics\] metrics\.unreachable/)
    expect(dead.code).toBe(2)
    const bad = await runCli(['metrics', 'localhost:9090'])
    expect(bad.code).toBe(3)
    expect(bad.stderr).toContain('"localhost:9090" is not an http(s) URL')
  })
})
