/** The API of the 401/403 scenarios: verifies bearer tokens with jose as a real service does. */
import { errors, jwtVerify, type CryptoKey, type JWTPayload } from 'jose'
import type { IncomingMessage } from 'node:http'
import { HttpError } from './harness.js'

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
