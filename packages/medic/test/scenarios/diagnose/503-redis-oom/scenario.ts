/**
 * 503 because Redis refuses writes: it is at maxmemory with `noeviction`, so every session write
 * fails with "OOM command not allowed" and the API answers 503. PostgreSQL is healthy.
 */
import { Redis } from 'ioredis'
import { APP_PASSWORD } from '../../../helpers/pg-cluster.js'
import { startRedis } from '../../../helpers/redis-server.js'
import { api, HttpError, logsOf, type Scenario } from '../harness.js'

const PASSWORD = 'cache-pw-7Gd2kQ9x'

export default {
  symptom: '503',
  fault: 'Redis at maxmemory with noeviction refuses writes',
  expectedTopCause: 'redis-refusing-writes',
  expectedFindings: { 'redis.oom': 'critical' },
  async setup(w) {
    const [db, redis] = await Promise.all([w.pg(), startRedis({ password: PASSWORD, config: { maxmemory: '2mb', 'maxmemory-policy': 'noeviction' } })])
    w.onCleanup(() => redis.stop())
    // Fill it until Redis refuses: the real OOM.
    const filler = redis.admin()
    await filler.connect()
    const blob = 'x'.repeat(10_000)
    for (let i = 0; i < 1000; i++) {
      try {
        await filler.set(`cache:page:${i}`, blob)
      } catch (err) {
        if (/OOM/.test((err as Error).message)) break
        throw err
      }
    }
    filler.disconnect()
    const client = new Redis(redis.url(), { maxRetriesPerRequest: 0, lazyConnect: true })
    await client.connect()
    w.onCleanup(() => client.disconnect())
    const app = await api(w, 'api', {
      '/api/login': async () => {
        try {
          await client.set(`session:${Math.random()}`, JSON.stringify({ user: 'u-1', blob: 'y'.repeat(2000) }), 'EX', 3600)
          return { ok: true }
        } catch (err) {
          throw new HttpError(503, 'session store unavailable', err)
        }
      },
    })
    await app.hit('/api/login', 25)
    return {
      config: {
        targets: {
          api: { kind: 'http', url: app.url, health: ['/api/login'] },
          db: { kind: 'postgres', url: db.url() },
          cache: { kind: 'redis', url: redis.url() },
        },
        logs: logsOf(app),
      },
      secrets: [APP_PASSWORD, PASSWORD],
    }
  },
} satisfies Scenario
