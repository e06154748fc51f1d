/**
 * Slow because an upstream API is slow: the payment provider (a real local HTTP server) takes
 * 900 ms to answer, so POST /api/pay takes as long. The databases are fine.
 */
import { APP_PASSWORD } from '../../../helpers/pg-cluster.js'
import { fakeHttp } from '../../../helpers/fake-http.js'
import { api, logsOf, REDIS_PASSWORD, type Scenario } from '../harness.js'

const KEY = 'pay_live_9XkQ2mV7rT4wZ8bN1cD6fH3j'

export default {
  symptom: 'slow',
  fault: 'the payment upstream takes 900 ms per call',
  expectedTopCause: 'slow-upstream',
  expectedFindings: { 'external.slow': 'warning' },
  async setup(w) {
    const [db, redis, upstream] = await Promise.all([w.pg(), w.redis(), fakeHttp({ 'GET /': { body: { status: 'ok' }, delayMs: 900 }, 'POST /v1/charges': { body: { id: 'ch_1', status: 'succeeded' }, delayMs: 900 } })])
    w.onCleanup(() => upstream.close())
    const app = await api(w, 'api', {
      '/api/pay': async () => {
        const r = await fetch(`${upstream.url}/v1/charges`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` } })
        return r.json()
      },
    })
    await app.hit('/api/pay', 3)
    return {
      config: {
        targets: {
          api: { kind: 'http', url: app.url, health: ['/api/pay'] },
          db: { kind: 'postgres', url: db.url() },
          cache: { kind: 'redis', url: redis.url() },
          payments: { kind: 'external', preset: 'generic', url: upstream.url, key: '${PAYMENTS_API_KEY}' },
        },
        logs: logsOf(app),
        // The default is 2 s; 500 ms keeps the scenario short (the upstream is 1.8x over it).
        thresholds: { 'external.slow': { slowMs: 500 } },
      },
      env: { PAYMENTS_API_KEY: KEY },
      secrets: [APP_PASSWORD, REDIS_PASSWORD, KEY],
    }
  },
} satisfies Scenario
