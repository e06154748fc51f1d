/**
 * 403 because the token is valid but only grants `users:read` while `DELETE /admin/users` needs
 * `admin:*`. The API checks the scope and logs the refusal.
 */
import { api, hsToken, type Scenario } from '../harness.js'
import { authenticate, authorize, deniedAdminRoute } from '../jwt-api.js'

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
    return deniedAdminRoute(app, db, SECRET, token)
  },
} satisfies Scenario
