/**
 * Will not start because SECRET_KEY in the .env is still the template's default
 * (`change-me-in-production`): the app refuses to start in production and logs why.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { APP_PASSWORD } from '../../../helpers/pg-cluster.js'
import { freePort } from '../../../helpers/ports.js'
import { boot } from '../boot.js'
import { appLog, REDIS_PASSWORD, type Scenario } from '../harness.js'

const JWT = 'd4e6a8c1f3b5d7e9a0c2e4f6b8d1a3c5e7f9b0d2a4c6e8f1b3d5a7c9e2f4b6d8'

export default {
  symptom: 'startup',
  fault: 'SECRET_KEY left at the template default in production',
  expectedTopCause: 'weak-or-missing-secret',
  expectedFindings: { 'config.weak-secret': 'critical', 'logs.unhandled-exception': 'critical' },
  async setup(w) {
    const [db, redis, port] = await Promise.all([w.pg(), w.redis(), freePort()])
    const envFile = join(w.dir, '.env')
    writeFileSync(envFile, [`SECRET_KEY=change-me-in-production`, `JWT_SECRET_KEY=${JWT}`, `DATABASE_URL=${db.url()}`, `REDIS_URL=${redis.url()}`, `PORT=${port}`].join('\n') + '\n')
    const log = appLog(join(w.dir, 'api.log'))
    const started = await boot(envFile, log).catch(() => undefined)
    if (started) throw new Error('the app should have refused to start')
    return {
      config: {
        environment: 'production',
        env: { file: '.env', required: ['DATABASE_URL', 'REDIS_URL'], secrets: ['SECRET_KEY', 'JWT_SECRET_KEY'] },
        targets: { db: { kind: 'postgres', url: db.url() }, cache: { kind: 'redis', url: redis.url() } },
        logs: [{ file: log.file }],
      },
      secrets: [APP_PASSWORD, REDIS_PASSWORD, JWT],
    }
  },
} satisfies Scenario
