/**
 * 500 because PostgreSQL is down: the cluster the API uses was stopped (a real server, really
 * stopped), so every query fails with ECONNREFUSED and the API answers 500. Redis is fine.
 */
import pg from 'pg'
import { APP_PASSWORD, startPgCluster } from '../../../helpers/pg-cluster.js'
import { api, logsOf, REDIS_PASSWORD, seedHistory, type Scenario } from '../harness.js'

export default {
  symptom: '500',
  fault: 'the PostgreSQL server the API uses is stopped',
  expectedTopCause: 'dependency-down',
  expectedFindings: { 'postgres.unreachable': 'critical', 'logs.known-error': 'critical' },
  async setup(w) {
    const [db, redis] = await Promise.all([startPgCluster(), w.redis()])
    const url = db.url()
    const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 1000 })
    pool.on('error', () => {})
    w.onCleanup(() => pool.end())
    const app = await api(
      w,
      'api',
      {
        '/api/notes': async () => (await pool.query('SELECT 1 AS n')).rows,
        '/health': async () => ({ status: 'ok' }),
      },
      (file) => seedHistory(file, 30),
    )
    await app.hit('/api/notes', 5)
    await db.stop() // the outage
    await app.hit('/api/notes', 25)
    return {
      config: {
        targets: {
          api: { kind: 'http', url: app.url, health: ['/health'] },
          db: { kind: 'postgres', url },
          cache: { kind: 'redis', url: redis.url() },
        },
        logs: logsOf(app),
      },
      secrets: [APP_PASSWORD, REDIS_PASSWORD],
    }
  },
} satisfies Scenario
