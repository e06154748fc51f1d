/**
 * Slow because of lock waits: a billing worker updated order 1 and left its transaction open
 * (idle in transaction), so every checkout request's UPDATE of that row waits behind it.
 */
import pg from 'pg'
import { APP_PASSWORD, startPgCluster } from '../../../helpers/pg-cluster.js'
import { api, logsOf, REDIS_PASSWORD, type Scenario } from '../harness.js'

export default {
  symptom: 'slow',
  fault: 'an idle-in-transaction worker holds a row lock the checkout UPDATE waits for',
  expectedTopCause: 'lock-waits',
  expectedFindings: { 'postgres.blocked-queries': 'critical', 'postgres.idle-in-transaction': 'warning' },
  async setup(w) {
    const [db, redis] = await Promise.all([startPgCluster(), w.redis()])
    w.onCleanup(() => db.stop())
    await db.sql(`CREATE TABLE orders (id int primary key, status text); INSERT INTO orders SELECT g, 'new' FROM generate_series(1, 100) g; ALTER TABLE orders OWNER TO app`, 'app')
    const worker = new pg.Client({ connectionString: db.url(), application_name: 'billing-worker' })
    worker.on('error', () => {})
    await worker.connect()
    await worker.query('BEGIN')
    await worker.query("UPDATE orders SET status = 'invoiced' WHERE id = 1")
    const pool = new pg.Pool({ connectionString: db.url(), max: 4, application_name: 'checkout-api' })
    pool.on('error', () => {})
    const app = await api(w, 'api', {
      'POST /api/checkout': async () => (await pool.query("UPDATE orders SET status = 'paid' WHERE id = 1 RETURNING id")).rows,
      '/health': async () => ({ status: 'ok', database: (await pool.query('SELECT 1')).rowCount === 1 ? 'up' : 'down' }),
    })
    // Three checkouts hang on the lock (their responses come once the worker rolls back).
    const pending = [1, 2, 3].map(() => app.hit('/api/checkout', 1, {}, 'POST').catch(() => []))
    w.onCleanup(async () => {
      await worker.query('ROLLBACK').catch(() => {})
      await Promise.all(pending)
      await Promise.all([worker.end(), pool.end()])
    })
    await new Promise((r) => setTimeout(r, 1300)) // the waits pass minWaitSeconds (1 s)
    return {
      config: {
        targets: {
          api: { kind: 'http', url: app.url, health: ['/health'] },
          db: { kind: 'postgres', url: db.url() },
          cache: { kind: 'redis', url: redis.url() },
        },
        logs: logsOf(app),
        thresholds: { 'postgres.idle-in-transaction': { warningSeconds: 1 } },
      },
      secrets: [APP_PASSWORD, REDIS_PASSWORD],
    }
  },
} satisfies Scenario
