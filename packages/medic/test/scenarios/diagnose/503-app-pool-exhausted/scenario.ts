/**
 * 503 because the API's own connection pool is exhausted, while PostgreSQL has plenty of free
 * slots: three slow report queries hold all 3 pooled connections, so every other request waits
 * for a connection until node-postgres gives up ("timeout exceeded when trying to connect").
 */
import pg from 'pg'
import { APP_PASSWORD, startPgCluster } from '../../../helpers/pg-cluster.js'
import { api, HttpError, logsOf, REDIS_PASSWORD, type Scenario } from '../harness.js'

export default {
  symptom: '503',
  fault: 'app pool (max 3) held by slow report queries; PostgreSQL itself has free slots',
  expectedTopCause: 'app-pool-exhausted',
  expectedFindings: { 'logs.known-error': 'critical', 'postgres.long-running-queries': 'warning' },
  async setup(w) {
    const [db, redis] = await Promise.all([startPgCluster(), w.redis()])
    w.onCleanup(() => db.stop())
    const pool = new pg.Pool({ connectionString: db.url(), max: 3, connectionTimeoutMillis: 200, application_name: 'orders-api' })
    pool.on('error', () => {})
    const app = await api(w, 'api', {
      '/api/report': async () => (await pool.query('SELECT pg_sleep(30)')).rows,
      '/api/orders': async () => {
        try {
          return (await pool.query('SELECT 1 AS ok')).rows
        } catch (err) {
          throw new HttpError(503, 'database unavailable', err)
        }
      },
    })
    // Three reports must really hold the pool's connections (a fixed pause raced on a loaded
    // machine). On a loaded machine opening a connection can itself take longer than the pool's
    // 200 ms, and that report fails at once: start another in its place until three are running.
    const reports: Promise<unknown>[] = []
    const running = new Set<Promise<unknown>>()
    const startReport = () => {
      const p: Promise<unknown> = app.hit('/api/report', 1).catch(() => []).finally(() => running.delete(p))
      running.add(p)
      reports.push(p)
    }
    for (let i = 0; i < 3; i++) startReport()
    for (let i = 0; i < 200; i++) {
      const { rows } = await db.sql<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'orders-api' AND query LIKE 'SELECT pg_sleep%'")
      if (Number(rows[0]?.n) >= 3) break
      while (running.size < 3 && reports.length < 30) startReport()
      await new Promise((r) => setTimeout(r, 100))
    }
    await app.hit('/api/orders', 12)
    w.onCleanup(async () => {
      // End the sleeping reports so the pool can close.
      await db.sql("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'orders-api'").catch(() => {})
      await Promise.all(reports)
      await pool.end()
    })
    await new Promise((r) => setTimeout(r, 800)) // the reports pass the 1 s long-query threshold
    return {
      config: {
        targets: {
          api: { kind: 'http', url: app.url, health: ['/api/orders'] },
          db: { kind: 'postgres', url: db.url() },
          cache: { kind: 'redis', url: redis.url() },
        },
        logs: logsOf(app),
        thresholds: { 'postgres.long-running-queries': { warningSeconds: 1 } },
      },
      secrets: [APP_PASSWORD, REDIS_PASSWORD],
    }
  },
} satisfies Scenario
