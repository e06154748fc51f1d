/**
 * A real prom-client registry served over HTTP, shaped like the app the SDK instruments:
 * http_request_duration_seconds (histogram), http_requests_total{status}, db pool gauges and
 * redis_connection_errors_total. Tests record observations into it and let medic scrape it.
 */
import { createServer, type Server } from 'node:http'
import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { Target } from '../../src/engine/types.js'

export interface MetricsApp {
  url: string
  port: number
  registry: Registry
  duration: Histogram<'route' | 'status'>
  requests: Counter<'route' | 'status'>
  poolInUse: Gauge
  poolSize: Gauge
  poolWaiting: Gauge
  redisErrors: Counter
  close(): Promise<void>
}

export async function startMetricsApp(): Promise<MetricsApp> {
  const registry = new Registry()
  const duration = new Histogram({ name: 'http_request_duration_seconds', help: 'request duration', labelNames: ['route', 'status'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] })
  const requests = new Counter({ name: 'http_requests_total', help: 'requests', labelNames: ['route', 'status'], registers: [registry] })
  const poolInUse = new Gauge({ name: 'db_pool_in_use', help: 'pool in use', registers: [registry] })
  const poolSize = new Gauge({ name: 'db_pool_size', help: 'pool size', registers: [registry] })
  const poolWaiting = new Gauge({ name: 'db_pool_waiting', help: 'pool waiting', registers: [registry] })
  const redisErrors = new Counter({ name: 'redis_connection_errors_total', help: 'redis errors', registers: [registry] })
  poolSize.set(10)
  const server: Server = createServer(async (req, res) => {
    if (req.url === '/metrics') {
      res.setHeader('content-type', registry.contentType)
      res.end(await registry.metrics())
      return
    }
    res.statusCode = 404
    res.end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    port,
    registry,
    duration,
    requests,
    poolInUse,
    poolSize,
    poolWaiting,
    redisErrors,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

/** Record `n` requests of `seconds` each. */
export function observe(app: MetricsApp, n: number, seconds: number, status = '200', route = '/api') {
  for (let i = 0; i < n; i++) {
    app.duration.observe({ route, status }, seconds)
    app.requests.inc({ route, status })
  }
}

/** A `metrics` target as medic.yaml's `metrics: [{ url }]` would make it. */
export function metricsTarget(url: string, extra: Record<string, unknown> = {}): Target {
  return { id: 'metrics', kind: 'metrics', address: url, options: { url, ...extra }, thresholds: {}, source: 'test' }
}
