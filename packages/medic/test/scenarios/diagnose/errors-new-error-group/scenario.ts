/**
 * An error storm that began with a deploy: the API ran for 40 minutes with a rare known failure
 * (a webhook retry now and then), was restarted with a new version, and since then every export
 * fails with a new error ("template invoice-v2 missing"). The databases are fine.
 */
import { APP_PASSWORD } from '../../../helpers/pg-cluster.js'
import { api, logsOf, REDIS_PASSWORD, seedHistory, type Api, type Scenario } from '../harness.js'

export default {
  symptom: 'errors',
  fault: 'a new error group right after the restart with the new version',
  expectedTopCause: 'new-error-after-change',
  expectedFindings: { 'logs.new-error-group': 'warning' },
  // The export errors began right after the API's restart, which its own log announces.
  expectedTimeline: /^Errors began \d\d:\d\d:\d\d, \d+ s after the app restarted \(its log says so\) at \d\d:\d\d:\d\d\.$/,
  async setup(w) {
    const [db, redis] = await Promise.all([w.pg(), w.redis()])
    let app: Api | undefined = undefined
    app = await api(
      w,
      'api',
      {
        '/api/export': async (req) => {
          const id = Number(/id=(\d+)/.exec(req.url ?? '')?.[1] ?? 0)
          app!.log.error(`invoice ${id} could not be rendered: template invoice-v2 missing`, undefined, { invoice: id })
          return { status: 500, body: { error: 'export failed' } }
        },
        '/api/items': async () => [{ id: 1 }],
      },
      // The old version: ordinary traffic and a webhook retry failure every 10 minutes.
      (file) => seedHistory(file, 40, (m, at) => (m % 10 === 0 ? [{ level: 50, time: at + 30_000, msg: `webhook delivery ${m} failed, will retry` }] : [])),
    )
    for (let i = 0; i < 15; i++) {
      await app.hit(`/api/export?id=${100 + i}`, 1)
      await app.hit('/api/items', 1)
    }
    return {
      config: {
        targets: { db: { kind: 'postgres', url: db.url() }, cache: { kind: 'redis', url: redis.url() } },
        logs: logsOf(app),
      },
      secrets: [APP_PASSWORD, REDIS_PASSWORD],
    }
  },
} satisfies Scenario
