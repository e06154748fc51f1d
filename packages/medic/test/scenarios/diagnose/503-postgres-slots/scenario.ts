/**
 * 503 because PostgreSQL has no free connection slot: a runaway worker pool holds every
 * non-reserved slot, so the API (which opens a connection per request) is refused with
 * "remaining connection slots are reserved" and answers 503.
 */
import pg from 'pg'
import { APP_PASSWORD, holdConnections, startPgCluster } from '../../../helpers/pg-cluster.js'
import { api, HttpError, logsOf, REDIS_PASSWORD, type Scenario } from '../harness.js'

export default {
  symptom: '503',
  fault: 'every usable PostgreSQL slot held by a worker pool',
  expectedTopCause: 'postgres-slots-exhausted',
  expectedFindings: { 'postgres.connections-saturated': 'critical', 'logs.known-error': 'critical' },
  async setup(w) {
    // 12 max_connections, 2 reserved for superusers: 10 usable, all taken below.
    const [db, redis] = await Promise.all([startPgCluster({ maxConnections: 12, reserved: 2 }), w.redis()])
    w.onCleanup(() => db.stop())
    const pool = await holdConnections(db.url(), 10)
    w.onCleanup(() => pool.release())
    const app = await api(w, 'api', {
      '/api/orders': async () => {
        const c = new pg.Client({ connectionString: db.url(), application_name: 'orders-api' })
        try {
          await c.connect()
          return (await c.query('SELECT 1 AS ok')).rows
        } catch (err) {
          throw new HttpError(503, 'database unavailable', err)
        } finally {
          await c.end().catch(() => {})
        }
      },
    })
    await app.hit('/api/orders', 25)
    return {
      config: {
        targets: {
          api: { kind: 'http', url: app.url, health: ['/api/orders'] },
          db: { kind: 'postgres', url: db.url() },
          cache: { kind: 'redis', url: redis.url() },
        },
        logs: logsOf(app),
      },
      secrets: [APP_PASSWORD, REDIS_PASSWORD],
    }
  },
} satisfies Scenario
