/**
 * 503 because MariaDB's connections are all taken: a batch importer opened max_connections (10)
 * connections and keeps them, so the API (a connection per request) is refused with
 * "Too many connections" and answers 503. PostgreSQL and Redis are fine.
 */
import mysql from 'mysql2/promise'
import { APP_PASSWORD as MARIADB_PASSWORD, startMariaDb } from '../../../helpers/mariadb-server.js'
import { APP_PASSWORD } from '../../../helpers/pg-cluster.js'
import { api, HttpError, logsOf, REDIS_PASSWORD, type Scenario } from '../harness.js'

export default {
  symptom: '503',
  fault: 'every MariaDB connection held by a batch importer',
  expectedTopCause: 'mysql-connections-exhausted',
  expectedFindings: { 'mysql.connections-saturated': 'critical', 'logs.known-error': 'critical' },
  async setup(w) {
    const [maria, db, redis] = await Promise.all([startMariaDb({ maxConnections: 10 }), w.pg(), w.redis()])
    w.onCleanup(() => maria.stop())
    const importer = await Promise.all(Array.from({ length: 10 }, () => maria.connect()))
    w.onCleanup(() => Promise.all(importer.map((c) => c.end().catch(() => {}))))
    const app = await api(w, 'api', {
      '/api/products': async () => {
        let c: mysql.Connection | undefined
        try {
          c = await mysql.createConnection(maria.url())
          const [rows] = await c.query('SELECT 1 AS ok')
          return rows
        } catch (err) {
          throw new HttpError(503, 'catalog database unavailable', err)
        } finally {
          await c?.end().catch(() => {})
        }
      },
    })
    await app.hit('/api/products', 25)
    return {
      config: {
        targets: {
          api: { kind: 'http', url: app.url, health: ['/api/products'] },
          catalog: { kind: 'mysql', url: maria.url() },
          db: { kind: 'postgres', url: db.url() },
          cache: { kind: 'redis', url: redis.url() },
        },
        logs: logsOf(app),
      },
      secrets: [MARIADB_PASSWORD, APP_PASSWORD, REDIS_PASSWORD],
    }
  },
} satisfies Scenario
