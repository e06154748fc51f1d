/** The API of the 401/403 scenarios: verifies bearer tokens with jose as a real service does. */
import { errors, jwtVerify, type CryptoKey, type JWTPayload } from 'jose'
import type { IncomingMessage } from 'node:http'
import { APP_PASSWORD } from '../../helpers/pg-cluster.js'
import { HttpError, logsOf, type Api, type Setup } from './harness.js'

export type VerifyKey = Uint8Array | CryptoKey

/** Verify the request's bearer token; 401 on any failure, with jose's own message in the log. */
export async function authenticate(req: IncomingMessage, key: VerifyKey, algorithms: string[]): Promise<JWTPayload> {
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
  if (!token) throw new HttpError(401, 'missing bearer token')
  try {
    const { payload } = await jwtVerify(token, key, { algorithms })
    return payload
  } catch (err) {
    const e = err as errors.JOSEError
    throw new HttpError(401, `invalid token: ${String(e)}`)
  }
}

/** 403 unless the token's `scope` grants `need` (`admin:*` covers `admin:users`). */
export function authorize(payload: JWTPayload, need: string): void {
  const granted = String(payload.scope ?? '').split(' ')
  const ok = granted.some((g) => g === need || g === '*' || (g.endsWith(':*') && need.startsWith(g.slice(0, -1))))
  if (!ok) throw new HttpError(403, `forbidden: insufficient permission (needs ${need}, token has ${granted.join(' ') || 'none'})`)
}

/**
 * The rest of a 403 scenario's setup once its API guards DELETE /admin/users: five calls with
 * `token` must all be refused (403), and medic.yaml checks the database and the JWT config with
 * that token (the subject query and the route's permission included).
 */
export async function deniedAdminRoute(app: Api, db: { url(): string }, secret: string, token: string): Promise<Setup> {
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
    env: { JWT_SECRET_KEY: secret, FAILING_TOKEN: token },
    secrets: [secret, APP_PASSWORD, token.split('.')[2]],
  }
}
