/**
 * 500 because of a bug: since the 02:xx deploy, GET /api/invoices reads `customer.address.city`
 * for customers without an address and throws a TypeError. PostgreSQL and Redis are fine.
 */
import pg from 'pg'
import { APP_PASSWORD } from '../../../helpers/pg-cluster.js'
import { api, logsOf, REDIS_PASSWORD, seedHistory, type Scenario } from '../harness.js'

interface Customer {
  id: string
  address?: { city: string }
}

function renderInvoice(c: Customer): string {
  return `invoice for ${c.id} in ${c.address!.city}` // the bug: address is optional
}

export default {
  symptom: '500',
  fault: 'a TypeError thrown by the invoice handler',
  expectedTopCause: 'unhandled-exception',
  expectedFindings: { 'logs.unhandled-exception': 'critical' },
  async setup(w) {
    const [db, redis] = await Promise.all([w.pg(), w.redis()])
    const pool = new pg.Pool({ connectionString: db.url(), max: 2 })
    w.onCleanup(() => pool.end())
    const app = await api(
      w,
      'api',
      {
        '/api/invoices': async () => {
          const { rows } = await pool.query<{ id: string }>('SELECT id FROM users ORDER BY id')
          return rows.map((r) => renderInvoice({ id: r.id }))
        },
        '/health': async () => ({ status: 'ok', database: (await pool.query('SELECT 1')).rowCount === 1 ? 'up' : 'down' }),
      },
      (file) => seedHistory(file, 30),
    )
    await app.hit('/api/invoices', 25)
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
