/**
 * 500 because a variable the code needs was never set: the new summarize endpoint reads
 * OPENAI_API_KEY, which the deploy's .env does not have, and throws on every request.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseEnv } from 'node:util'
import { APP_PASSWORD } from '../../../helpers/pg-cluster.js'
import { api, logsOf, REDIS_PASSWORD, seedHistory, type Scenario } from '../harness.js'

const SECRET = 'e9a0c2e4f6b8d1a3c5e7f9b0d2a4c6e8f1b3d5a7c9e2f4b6d8d4e6a8c1f3b5d7'

export default {
  symptom: '500',
  fault: 'OPENAI_API_KEY missing from the .env the app runs with',
  expectedTopCause: 'missing-configuration',
  expectedFindings: { 'config.missing-variable': 'critical', 'logs.unhandled-exception': 'critical' },
  async setup(w) {
    const [db, redis] = await Promise.all([w.pg(), w.redis()])
    const envFile = join(w.dir, '.env')
    writeFileSync(envFile, [`SECRET_KEY=${SECRET}`, `DATABASE_URL=${db.url()}`, `REDIS_URL=${redis.url()}`].join('\n') + '\n')
    const env = parseEnv(readFileSync(envFile, 'utf8')) // what the app reads at start-up
    const app = await api(
      w,
      'api',
      {
        '/api/summarize': async () => {
          const key = env.OPENAI_API_KEY
          if (!key) throw new Error('environment variable OPENAI_API_KEY is not set')
          return { summary: '...' }
        },
        '/health': async () => ({ status: 'ok' }),
      },
      (file) => seedHistory(file, 30),
    )
    await app.hit('/api/summarize', 20)
    return {
      config: {
        environment: 'production',
        env: { file: '.env', required: ['DATABASE_URL', 'REDIS_URL', 'OPENAI_API_KEY'], secrets: ['SECRET_KEY'] },
        targets: {
          api: { kind: 'http', url: app.url, health: ['/health'] },
          db: { kind: 'postgres', url: db.url() },
          cache: { kind: 'redis', url: redis.url() },
        },
        logs: logsOf(app),
      },
      secrets: [APP_PASSWORD, REDIS_PASSWORD, SECRET],
    }
  },
} satisfies Scenario
