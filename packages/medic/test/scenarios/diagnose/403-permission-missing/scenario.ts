/**
 * 403 because the token is valid but only grants `users:read` while `DELETE /admin/users` needs
 * `admin:*`. The API checks the scope and logs the refusal.
 */
import { APP_PASSWORD } from '../../../helpers/pg-cluster.js'
import { api, hsToken, logsOf, type Scenario } from '../harness.js'
import { authenticate, authorize } from '../jwt-api.js'

const SECRET = '9c2e4a6f8b1d3e5a7c9f0b2d4e6a8c1f3b5d7e9a0c2e4f6b8d1a3c5e7f9b0d2a'

export default {
  symptom: '403',
  fault: 'valid token without the admin:* permission the route needs',
  expectedTopCause: 'permission-missing',
  expectedFindings: { 'jwt.permission-missing': 'critical' },
  async setup(w) {
    const db = await w.pg()
    const key = new TextEncoder().encode(SECRET)
    const app = await api(w, 'api', {
      'DELETE /admin/users': async (req) => {
        authorize(await authenticate(req, key, ['HS256']), 'admin:users')
        return { deleted: 1 }
      },
    })
    const token = await hsToken(SECRET, { sub: 'u-1', scope: 'users:read notes:write' })
    const codes = await app.hit('/admin/users', 5, { authorization: `Bearer ${token}` }, 'DELETE')
    if (!codes.every((c) => c === 403)) throw new Error(`expected 403s, got ${codes}`)
    return {
      config: {
        targets: { db: { kind: 'postgres', url: db.url() } },
        auth: {
          jwt: { secret: '${JWT_SECRET_KEY}', algorithms: ['HS256'], token: '${FAILING_TOKEN}', subjectQuery: { target: 'db', sql: 'SELECT is_active FROM users WHERE id = $1' } },
          routes: { 'DELETE /admin/users': ['admin:*'] },
        },
        logs: logsOf(app),
      },
      env: { JWT_SECRET_KEY: SECRET, FAILING_TOKEN: token },
      secrets: [SECRET, APP_PASSWORD, token.split('.')[2]],
    }
  },
} satisfies Scenario
