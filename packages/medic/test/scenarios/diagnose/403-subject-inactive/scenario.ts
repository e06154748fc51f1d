/**
 * 403 because the account was deactivated: the token is valid and grants `admin:*`, but user u-7
 * has is_active = false in the app's users table (shared PostgreSQL), so the API refuses it.
 */
import pg from 'pg'
import { api, HttpError, hsToken, type Scenario } from '../harness.js'
import { authenticate, authorize, deniedAdminRoute } from '../jwt-api.js'

const SECRET = '4f6a8c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b2d4f6a8c1e3b5d7f9a'

export default {
  symptom: '403',
  fault: 'user u-7 deactivated in the users table',
  expectedTopCause: 'subject-inactive',
  expectedFindings: { 'jwt.subject-inactive': 'critical' },
  async setup(w) {
    const db = await w.pg()
    const key = new TextEncoder().encode(SECRET)
    const pool = new pg.Pool({ connectionString: db.url(), max: 2 })
    w.onCleanup(() => pool.end())
    const app = await api(w, 'api', {
      'DELETE /admin/users': async (req) => {
        const claims = await authenticate(req, key, ['HS256'])
        authorize(claims, 'admin:users')
        const { rows } = await pool.query('SELECT is_active FROM users WHERE id = $1', [claims.sub])
        if (!rows[0]?.is_active) throw new HttpError(403, `forbidden: account ${claims.sub} is disabled`)
        return { deleted: 1 }
      },
    })
    const token = await hsToken(SECRET, { sub: 'u-7', scope: 'admin:*' })
    return deniedAdminRoute(app, db, SECRET, token)
  },
} satisfies Scenario
