/**
 * 401 because of an algorithm mismatch: the API verifies RS256 tokens with the issuer's public
 * key, but a client built its token as HS256 with the public key's PEM text as the HMAC secret
 * (the classic algorithm-confusion forgery). The API refuses it.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { exportSPKI, generateKeyPair } from 'jose'
import { api, hsToken, logsOf, type Scenario } from '../harness.js'
import { authenticate } from '../jwt-api.js'

export default {
  symptom: '401',
  fault: 'HS256 token signed with the RS256 public key as secret',
  expectedTopCause: 'algorithm-mismatch',
  expectedFindings: { 'jwt.algorithm-mismatch': 'critical' },
  async setup(w) {
    const keys = await generateKeyPair('RS256')
    const pem = await exportSPKI(keys.publicKey)
    writeFileSync(join(w.dir, 'issuer.pub.pem'), pem)
    const app = await api(w, 'api', { '/api/me': async (req) => ({ sub: (await authenticate(req, keys.publicKey, ['RS256'])).sub }) })
    const token = await hsToken(pem, { sub: 'u-1', scope: 'admin:*' })
    const codes = await app.hit('/api/me', 5, { authorization: `Bearer ${token}` })
    if (!codes.every((c) => c === 401)) throw new Error(`expected 401s, got ${codes}`)
    return {
      config: {
        auth: { jwt: { publicKey: 'issuer.pub.pem', algorithms: ['RS256'], token: '${FAILING_TOKEN}' } },
        logs: logsOf(app),
      },
      env: { FAILING_TOKEN: token },
      secrets: [token.split('.')[2]],
    }
  },
} satisfies Scenario
