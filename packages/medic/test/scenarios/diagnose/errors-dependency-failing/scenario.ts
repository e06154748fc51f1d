/**
 * An error storm because Redis died: the API ran fine for 30 minutes, then its Redis (a real
 * server, killed) went away and every request logs the connection failure.
 */
import { Redis } from 'ioredis'
import { APP_PASSWORD } from '../../../helpers/pg-cluster.js'
import { startRedis } from '../../../helpers/redis-server.js'
import { api, HttpError, logsOf, seedHistory, type Api, type Scenario } from '../harness.js'

const PASSWORD = 'sess-pw-Vb61Rx0q'

export default {
  symptom: 'errors',
  fault: 'the Redis server the API uses was killed',
  expectedTopCause: 'dependency-failing',
  expectedFindings: { 'redis.unreachable': 'critical', 'logs.known-error': 'critical' },
  async setup(w) {
    const [db, redis] = await Promise.all([w.pg(), startRedis({ password: PASSWORD })])
    const url = redis.url()
    // eslint-disable-next-line prefer-const
    let app: Api
    app = await api(
      w,
      'api',
      {
        '/api/session': async () => {
          const c = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 })
          c.on('error', (err) => app.log.error('redis client error', err))
          try {
            await c.connect()
            return { session: await c.get('session:u-1') }
          } catch (err) {
            throw new HttpError(503, 'session store unavailable', err)
          } finally {
            c.disconnect()
          }
        },
      },
      (file) => seedHistory(file, 30),
    )
    await app.hit('/api/session', 5)
    await redis.stop() // the outage
    await app.hit('/api/session', 30)
    return {
      config: {
        targets: { db: { kind: 'postgres', url: db.url() }, cache: { kind: 'redis', url } },
        logs: logsOf(app),
      },
      secrets: [APP_PASSWORD, PASSWORD],
    }
  },
} satisfies Scenario
