/**
 * A healthy stack, diagnosed for every symptom: no cause may look likely. Real PostgreSQL and
 * Redis (the shared ones), a real API answering fast with clean logs and 30 minutes of history,
 * real prom-client metrics, a valid token of an active user with the permissions its route needs,
 * a .env with generated secrets and a free port, a steady worker process, a fast upstream. Qdrant
 * and OpenAI cannot run here: their documented answers are served locally.
 *
 * The host itself (system.* checks) is left out on purpose: this machine is shared with other
 * test runs, so its CPU and memory say nothing about this stack.
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { fakeHttp } from '../../../helpers/fake-http.js'
import { fakeQdrant } from '../../../helpers/fake-qdrant.js'
import { observe, startMetricsApp } from '../../../helpers/metrics-app.js'
import { APP_PASSWORD } from '../../../helpers/pg-cluster.js'
import { freePort } from '../../../helpers/ports.js'
import { api, hsToken, logsOf, REDIS_PASSWORD, seedHistory, type HealthyScenario } from '../harness.js'
import { authenticate, authorize } from '../jwt-api.js'
import { fakeOpenAI, OPENAI_KEY } from '../openai.js'

const SECRET = 'f2a4c6e8b0d1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4'
const SESSION_SECRET = 'c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4f2a4c6e8b0d1f3a5c7e9b2d4f6a8'
const PAY_KEY = 'pay_live_4LmN8qR2tV6xZ0bD3fH7jK1p'

export default {
  healthy: true,
  symptoms: ['500', '401', '403', '503', 'slow', 'startup', 'errors', 'memory', 'search'],
  async setup(w) {
    const [db, redis, qdrant, openai, metrics, upstream, port] = await Promise.all([
      w.pg(),
      w.redis(),
      fakeQdrant({ docs: { points: 5200, vectors: { size: 1536, distance: 'Cosine' } } }),
      fakeOpenAI(),
      startMetricsApp(),
      fakeHttp({ 'GET /': { body: { status: 'ok' } } }),
      freePort(),
    ])
    w.onCleanup(() => Promise.all([qdrant.close(), openai.close(), metrics.close(), upstream.close()]))
    const pool = new pg.Pool({ connectionString: db.url(), max: 2 })
    w.onCleanup(() => pool.end())
    const key = new TextEncoder().encode(SECRET)
    const app = await api(
      w,
      'api',
      {
        '/health': async () => ({ status: 'ok', database: (await pool.query('SELECT 1')).rowCount === 1 ? 'up' : 'down' }),
        '/api/items': async () => (await pool.query('SELECT id FROM users WHERE is_active')).rows,
        'DELETE /admin/users': async (req) => {
          authorize(await authenticate(req, key, ['HS256']), 'admin:users')
          return { deleted: 0 }
        },
      },
      (file) => seedHistory(file, 30),
    )
    const token = await hsToken(SECRET, { sub: 'u-1', scope: 'admin:* notes:write' })
    const codes = [...(await app.hit('/api/items', 20)), ...(await app.hit('/admin/users', 3, { authorization: `Bearer ${token}` }, 'DELETE'))]
    if (!codes.every((c) => c === 200)) throw new Error(`healthy API answered ${codes}`)
    observe(metrics, 200, 0.02)
    observe(metrics, 20, 0.08)
    metrics.poolInUse.set(2)

    const worker = spawn(process.execPath, ['-e', "setInterval(() => {}, 1000); console.log('worker idle')"], { stdio: ['ignore', 'pipe', 'inherit'] })
    w.onCleanup(() => worker.kill('SIGKILL'))
    await new Promise<void>((resolve) => worker.stdout.once('data', () => resolve()))

    writeFileSync(
      join(w.dir, '.env'),
      [`SECRET_KEY=${SESSION_SECRET}`, `JWT_SECRET_KEY=${SECRET}`, `DATABASE_URL=${db.url()}`, `REDIS_URL=${redis.url()}`, `PORT=${port}`].join('\n') + '\n',
    )
    return {
      config: {
        environment: 'production',
        env: { file: '.env', required: ['DATABASE_URL', 'REDIS_URL'], secrets: ['SECRET_KEY', 'JWT_SECRET_KEY'] },
        targets: {
          api: { kind: 'http', url: app.url, health: ['/health'] },
          db: { kind: 'postgres', url: db.url() },
          cache: { kind: 'redis', url: redis.url() },
          vectors: { kind: 'qdrant', url: qdrant.url, collections: { docs: { model: 'text-embedding-3-small' } } },
          embeddings: { kind: 'external', preset: 'openai', url: `${openai.url}/v1`, key: '${OPENAI_API_KEY}' },
          payments: { kind: 'external', preset: 'generic', url: upstream.url, key: '${PAYMENTS_API_KEY}' },
          worker: { kind: 'process', pid: worker.pid },
        },
        auth: {
          jwt: { secret: '${JWT_SECRET_KEY}', algorithms: ['HS256'], token: '${CLIENT_TOKEN}', subjectQuery: { target: 'db', sql: 'SELECT is_active FROM users WHERE id = $1' } },
          routes: { 'DELETE /admin/users': ['admin:*'] },
        },
        logs: logsOf(app),
        metrics: [{ url: metrics.url }],
      },
      env: { JWT_SECRET_KEY: SECRET, CLIENT_TOKEN: token, OPENAI_API_KEY: OPENAI_KEY, PAYMENTS_API_KEY: PAY_KEY },
      secrets: [APP_PASSWORD, REDIS_PASSWORD, SECRET, SESSION_SECRET, OPENAI_KEY, PAY_KEY, token.split('.')[2]],
    }
  },
} satisfies HealthyScenario
