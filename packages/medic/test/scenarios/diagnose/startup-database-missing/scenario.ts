/**
 * Will not start because the database in DATABASE_URL (`app_prod`) was never created on the
 * (running, healthy) PostgreSQL server: the app's start-up connection fails.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { APP_PASSWORD } from '../../../helpers/pg-cluster.js'
import { freePort } from '../../../helpers/ports.js'
import { appLog, REDIS_PASSWORD, type Scenario } from '../harness.js'

const SECRET = 'b6d8d4e6a8c1f3b5d7e9a0c2e4f6b8d1a3c5e7f9b0d2a4c6e8f1b3d5a7c9e2f4'
const JWT = 'c1f3b5d7e9a0c2e4f6b8d1a3c5e7f9b0d2a4c6e8f1b3d5a7c9e2f4b6d8d4e6a8'

export default {
  symptom: 'startup',
  fault: 'DATABASE_URL names a database that does not exist',
  expectedTopCause: 'database-not-ready',
  expectedFindings: { 'postgres.database-missing': 'critical' },
  async setup(w) {
    const [db, redis, port] = await Promise.all([w.pg(), w.redis(), freePort()])
    const url = db.url('app', 'app_prod')
    writeFileSync(join(w.dir, '.env'), [`SECRET_KEY=${SECRET}`, `JWT_SECRET_KEY=${JWT}`, `DATABASE_URL=${url}`, `REDIS_URL=${redis.url()}`, `PORT=${port}`].join('\n') + '\n')
    // The app's start-up: connect to the database first, as most frameworks do.
    const log = appLog(join(w.dir, 'api.log'))
    log.info('Starting api (production)')
    const c = new pg.Client(url)
    await c
      .connect()
      .then(() => {
        throw new Error('the database should not exist')
      })
      .catch((err: Error) => {
        if (err.message === 'the database should not exist') throw err
        log.error(`startup failed: ${err.message}`, err)
      })
    return {
      config: {
        environment: 'production',
        env: { file: '.env', required: ['DATABASE_URL', 'REDIS_URL'], secrets: ['SECRET_KEY', 'JWT_SECRET_KEY'] },
        targets: { db: { kind: 'postgres', url }, cache: { kind: 'redis', url: redis.url() } },
        logs: [{ file: log.file }],
      },
      secrets: [APP_PASSWORD, REDIS_PASSWORD, SECRET, JWT],
    }
  },
} satisfies Scenario
