/**
 * 401 because the client's token expired an hour ago (HS256, the right secret). The API verifies
 * it with jose and logs the refusal.
 */
import { api, hsToken, logsOf, type Scenario } from '../harness.js'
import { authenticate } from '../jwt-api.js'

const SECRET = 'b3f1c9e27a4d6f8e0c5b7a9d2e4f6a8c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f'

export default {
  symptom: '401',
  fault: 'the token expired an hour ago',
  expectedTopCause: 'token-expired',
  expectedFindings: { 'jwt.expired': 'critical', 'logs.known-error': 'warning' },
  async setup(w) {
    const key = new TextEncoder().encode(SECRET)
    const app = await api(w, 'api', { '/api/me': async (req) => ({ sub: (await authenticate(req, key, ['HS256'])).sub }) })
    const token = await hsToken(SECRET, { sub: 'u-1', scope: 'notes:read' }, -3600)
    const codes = await app.hit('/api/me', 5, { authorization: `Bearer ${token}` })
    if (!codes.every((c) => c === 401)) throw new Error(`expected 401s, got ${codes}`)
    return {
      config: {
        auth: { jwt: { secret: '${JWT_SECRET_KEY}', algorithms: ['HS256'], token: '${FAILING_TOKEN}' } },
        logs: logsOf(app),
      },
      env: { JWT_SECRET_KEY: SECRET, FAILING_TOKEN: token },
      secrets: [SECRET, token.split('.')[2]],
    }
  },
} satisfies Scenario
