/**
 * Slow because the app itself is: every request renders a report synchronously (~250 ms of CPU on
 * the event loop), so /health waits behind it too. The API exports real prom-client metrics
 * (http_request_duration_seconds); the databases and the upstream are fine. Thresholds are
 * lowered (p95 > 0.2 s, responses > 200 ms) so the scenario needs a few requests, not minutes.
 */
import { APP_PASSWORD } from '../../../helpers/pg-cluster.js'
import { startMetricsApp } from '../../../helpers/metrics-app.js'
import { api, logsOf, REDIS_PASSWORD, type Scenario } from '../harness.js'

function renderReport(): number {
  const until = performance.now() + 250
  let n = 0
  while (performance.now() < until) n += Math.sqrt(n + 1)
  return n
}

export default {
  symptom: 'slow',
  fault: 'CPU-bound report rendering blocks the event loop (~250 ms a request)',
  expectedTopCause: 'slow-app',
  expectedFindings: { 'metrics.latency-high': 'warning', 'http.slow': 'warning' },
  async setup(w) {
    const [db, redis, metrics] = await Promise.all([w.pg(), w.redis(), startMetricsApp()])
    w.onCleanup(() => metrics.close())
    const timed = (route: string, fn: () => unknown) => async () => {
      const end = metrics.duration.startTimer({ route })
      const out = fn()
      end({ status: '200' })
      metrics.requests.inc({ route, status: '200' })
      return out
    }
    const app = await api(w, 'api', {
      '/api/report': timed('/api/report', () => ({ total: renderReport() })),
      '/health': timed('/health', () => ({ status: 'ok', report: renderReport() > 0 })),
    })
    await app.hit('/api/report', 8)
    return {
      config: {
        targets: {
          api: { kind: 'http', url: app.url, health: ['/health'] },
          db: { kind: 'postgres', url: db.url() },
          cache: { kind: 'redis', url: redis.url() },
        },
        logs: logsOf(app),
        metrics: [{ url: metrics.url }],
        thresholds: { 'metrics.latency-high': { warningSeconds: 0.2 }, 'http.slow': { warningMs: 200 } },
      },
      secrets: [APP_PASSWORD, REDIS_PASSWORD],
    }
  },
} satisfies Scenario
