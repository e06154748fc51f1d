/**
 * Slow because a large table is filtered without an index: GET /api/events reads the 60 000-row
 * events table by user_id, a sequential scan every time.
 */
import pg from 'pg'
import { APP_PASSWORD, startPgCluster } from '../../../helpers/pg-cluster.js'
import { api, logsOf, REDIS_PASSWORD, type Scenario } from '../harness.js'

export default {
  symptom: 'slow',
  fault: 'events filtered by user_id without an index (sequential scans)',
  expectedTopCause: 'missing-index',
  expectedFindings: { 'postgres.missing-index': 'warning' },
  async setup(w) {
    const [db, redis] = await Promise.all([startPgCluster(), w.redis()])
    w.onCleanup(() => db.stop())
    await db.sql(`CREATE TABLE events (id int primary key, user_id int, payload text); INSERT INTO events SELECT g, g % 500, md5(g::text) FROM generate_series(1, 60000) g; ALTER TABLE events OWNER TO app; ANALYZE events`, 'app')
    const pool = new pg.Pool({ connectionString: db.url(), max: 2, idleTimeoutMillis: 100 })
    w.onCleanup(() => pool.end())
    const app = await api(w, 'api', {
      '/api/events': async (req) => (await pool.query('SELECT id, payload FROM events WHERE user_id = $1', [Number(/u=(\d+)/.exec(req.url ?? '')?.[1] ?? 1)])).rows.length,
      '/health': async () => ({ status: 'ok' }),
    })
    for (let i = 0; i < 20; i++) await app.hit(`/api/events?u=${i}`, 1)
    // An idle backend may hold its table statistics for up to 10 s; the pool closes idle
    // connections after 100 ms, which flushes them.
    await new Promise((r) => setTimeout(r, 500))
    return {
      config: {
        targets: {
          api: { kind: 'http', url: app.url, health: ['/health'] },
          db: { kind: 'postgres', url: db.url() },
          cache: { kind: 'redis', url: redis.url() },
        },
        logs: logsOf(app),
      },
      secrets: [APP_PASSWORD, REDIS_PASSWORD],
    }
  },
} satisfies Scenario
