/**
 * 401 because the token was signed with another key: the issuer rotated to a new ES256 key pair
 * while the API still verifies with the old public key. Real keys (jose), real verification.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { exportSPKI, generateKeyPair, SignJWT } from 'jose'
import { api, logsOf, type Scenario } from '../harness.js'
import { authenticate } from '../jwt-api.js'

export default {
  symptom: '401',
  fault: 'token signed with a rotated ES256 key the API does not know',
  expectedTopCause: 'wrong-signing-key',
  expectedFindings: { 'jwt.signature-invalid': 'critical', 'logs.known-error': 'critical' },
  async setup(w) {
    const [apiKeys, issuerKeys] = await Promise.all([generateKeyPair('ES256'), generateKeyPair('ES256')])
    writeFileSync(join(w.dir, 'issuer.pub.pem'), await exportSPKI(apiKeys.publicKey))
    const app = await api(w, 'api', { '/api/me': async (req) => ({ sub: (await authenticate(req, apiKeys.publicKey, ['ES256'])).sub }) })
    const token = await new SignJWT({ sub: 'u-1', scope: 'notes:read' }).setProtectedHeader({ alg: 'ES256' }).setIssuedAt().setExpirationTime('1h').sign(issuerKeys.privateKey)
    const codes = await app.hit('/api/me', 5, { authorization: `Bearer ${token}` })
    if (!codes.every((c) => c === 401)) throw new Error(`expected 401s, got ${codes}`)
    return {
      config: {
        auth: { jwt: { publicKey: 'issuer.pub.pem', algorithms: ['ES256'], token: '${FAILING_TOKEN}' } },
        logs: logsOf(app),
      },
      env: { FAILING_TOKEN: token },
      secrets: [token.split('.')[2]],
    }
  },
} satisfies Scenario
