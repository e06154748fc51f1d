/**
 * Verification keys: a shared secret, a PEM public key or certificate, a JWK/JWKS, and the other
 * keys the app may have used (otherSecrets). Each becomes a `Candidate` that imports its CryptoKey
 * once per algorithm, so thousands of tokens verify without re-importing. Labels describe a key
 * ("the configured secret", "JWKS key kid=abc (RSA 2048)"), never its value.
 */
import { createHmac, createPublicKey, timingSafeEqual, type KeyObject } from 'node:crypto'
import { UserError } from '../engine/errors.js'
import { maskUrl } from '../engine/redact.js'
// jose is loaded when a key is first imported, not at every medic start-up.
import type { CryptoKey, JWK } from 'jose'

export type AlgFamily = 'hmac' | 'rsa' | 'ec' | 'okp'

export interface AlgInfo {
  family: AlgFamily
  /** Required curve for ES* (JWK crv name). */
  curve?: string
  /** What a person calls the key kind. */
  keyKind: string
}

const ALGS: Record<string, AlgInfo> = {
  HS256: { family: 'hmac', keyKind: 'a shared secret' },
  HS384: { family: 'hmac', keyKind: 'a shared secret' },
  HS512: { family: 'hmac', keyKind: 'a shared secret' },
  RS256: { family: 'rsa', keyKind: 'an RSA key' },
  RS384: { family: 'rsa', keyKind: 'an RSA key' },
  RS512: { family: 'rsa', keyKind: 'an RSA key' },
  PS256: { family: 'rsa', keyKind: 'an RSA key' },
  PS384: { family: 'rsa', keyKind: 'an RSA key' },
  PS512: { family: 'rsa', keyKind: 'an RSA key' },
  ES256: { family: 'ec', curve: 'P-256', keyKind: 'an EC P-256 key' },
  ES384: { family: 'ec', curve: 'P-384', keyKind: 'an EC P-384 key' },
  ES512: { family: 'ec', curve: 'P-521', keyKind: 'an EC P-521 key' },
  EdDSA: { family: 'okp', keyKind: 'an Ed25519 key' },
  Ed25519: { family: 'okp', curve: 'Ed25519', keyKind: 'an Ed25519 key' },
}

export function algInfo(alg: string): AlgInfo | undefined {
  return Object.prototype.hasOwnProperty.call(ALGS, alg) ? ALGS[alg] : undefined
}

export const SUPPORTED_ALGS = Object.keys(ALGS)

export interface Candidate {
  /** "the configured secret", "the public key (RSA 2048 bits)", "JWKS key kid=k1 (EC P-256)". */
  label: string
  family: AlgFamily
  curve?: string
  kid?: string
  /** `alg` pinned by a JWK, when present. */
  alg?: string
  /** The CryptoKey for this algorithm (imported once, then cached). */
  key(alg: string): Promise<CryptoKey | Uint8Array>
  /** Shared secrets only: the raw key for the synchronous HMAC path (the bulk of `medic jwt < tokens`). */
  hmacSecret?: Uint8Array
}

const NODE_HASH: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }

/**
 * HS256/384/512 with node:crypto: the same MAC jose computes, compared in constant time, without
 * a WebCrypto round trip per token. Callers use it only for plain JWS (no `crit`, no `b64`).
 */
export function verifyHmacSync(secret: Uint8Array, alg: string, signingInput: string, signature: string): boolean {
  const mac = createHmac(NODE_HASH[alg], secret).update(signingInput).digest()
  const given = Buffer.from(signature, 'base64url')
  return given.length === mac.length && timingSafeEqual(given, mac)
}

const HASH: Record<string, string> = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' }

export function secretCandidate(secret: string | Uint8Array, label: string): Candidate {
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret
  const cache = new Map<string, Promise<CryptoKey | Uint8Array>>()
  return {
    label,
    family: 'hmac',
    hmacSecret: bytes,
    key(alg) {
      let k = cache.get(alg)
      if (!k) {
        // WebCrypto refuses zero-length HMAC keys; jose then reports the problem for us.
        k = bytes.length === 0 ? Promise.resolve(bytes) : crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: HASH[alg] ?? 'SHA-256' }, false, ['verify'])
        cache.set(alg, k)
      }
      return k
    },
  }
}

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', secp256k1: 'secp256k1' }

function describeKeyObject(ko: KeyObject): { family: AlgFamily; curve?: string; text: string } {
  const type = ko.asymmetricKeyType
  const d = ko.asymmetricKeyDetails ?? {}
  if (type === 'rsa' || type === 'rsa-pss') return { family: 'rsa', text: `RSA ${d.modulusLength ?? '?'} bits` }
  if (type === 'ec') {
    const curve = CURVES[d.namedCurve ?? ''] ?? d.namedCurve
    return { family: 'ec', curve, text: `EC ${curve ?? '?'}` }
  }
  if (type === 'ed25519' || type === 'ed448') return { family: 'okp', curve: type === 'ed25519' ? 'Ed25519' : 'Ed448', text: type === 'ed25519' ? 'Ed25519' : 'Ed448' }
  throw new Error(`unsupported public key type ${type ?? 'unknown'}`)
}

/**
 * A PEM public key, certificate, or a single JWK as JSON text. Throws a UserError naming `name`
 * (`--public-key ./pub.pem`) when it is none of those: a wrong file is the user's to fix.
 */
export function publicKeyCandidate(text: string, label = 'the public key', name = label): Candidate {
  let ko: KeyObject
  let info: ReturnType<typeof describeKeyObject>
  const trimmed = text.trim()
  try {
    ko = trimmed.startsWith('{') ? createPublicKey({ key: JSON.parse(trimmed) as import('node:crypto').JsonWebKey, format: 'jwk' }) : createPublicKey(trimmed)
    if (ko.type !== 'public') ko = createPublicKey(ko)
    info = describeKeyObject(ko)
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err)
    const what = /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(trimmed)?.[1]
    throw new UserError(
      `${name} is not a PEM public key, certificate or JWK (${what ? `it holds a PEM "${what}" block: ` : ''}${why})`,
      'Give the issuer\'s public key as PEM ("-----BEGIN PUBLIC KEY-----"), its certificate, or a JWK/JWKS JSON file; for a shared secret use --secret / auth.jwt.secret.',
    )
  }
  const spki = ko.export({ type: 'spki', format: 'pem' }).toString()
  const cache = new Map<string, Promise<CryptoKey>>()
  return {
    label: `${label} (${info.text})`,
    family: info.family,
    curve: info.curve,
    key(alg) {
      let k = cache.get(alg)
      if (!k) {
        k = import('jose').then(({ importSPKI }) => importSPKI(spki, alg))
        cache.set(alg, k)
      }
      return k
    },
  }
}

export interface Jwks {
  url: string
  candidates: Candidate[]
  kids: string[]
}

function jwkFamily(jwk: JWK): { family: AlgFamily; curve?: string; text: string } | undefined {
  switch (jwk.kty) {
    case 'RSA':
      return { family: 'rsa', text: `RSA ${jwk.n ? Buffer.from(jwk.n, 'base64url').length * 8 : '?'} bits` }
    case 'EC':
      return { family: 'ec', curve: jwk.crv, text: `EC ${jwk.crv ?? '?'}` }
    case 'OKP':
      return { family: 'okp', curve: jwk.crv, text: jwk.crv ?? 'OKP' }
    case 'oct':
      return { family: 'hmac', text: 'shared secret' }
    default:
      return undefined
  }
}

/** Turn a JWKS document into candidates. Throws a plain message when the document is not a JWKS. */
export function jwksFromDocument(doc: unknown, url: string): Jwks {
  const keys = (doc as { keys?: unknown } | null)?.keys
  if (!Array.isArray(keys)) throw new Error(`${maskUrl(url)} did not answer a JWKS (expected a JSON object with a "keys" array)`)
  const candidates: Candidate[] = []
  const kids: string[] = []
  for (const raw of keys) {
    if (!raw || typeof raw !== 'object') continue
    const jwk = raw as JWK
    if (typeof jwk.kid === 'string') kids.push(jwk.kid)
    if (jwk.use === 'enc') continue
    const fam = jwkFamily(jwk)
    if (!fam) continue
    const cache = new Map<string, Promise<CryptoKey | Uint8Array>>()
    candidates.push({
      label: `JWKS key ${typeof jwk.kid === 'string' ? `kid=${jwk.kid}` : '(no kid)'} (${fam.text})`,
      family: fam.family,
      curve: fam.curve,
      kid: typeof jwk.kid === 'string' ? jwk.kid : undefined,
      alg: typeof jwk.alg === 'string' ? jwk.alg : undefined,
      key(alg) {
        let k = cache.get(alg)
        if (!k) {
          k = import('jose').then(({ importJWK }) => importJWK({ ...jwk, alg: jwk.alg ?? alg }, alg)) as Promise<CryptoKey | Uint8Array>
          cache.set(alg, k)
        }
        return k
      },
    })
  }
  return { url, candidates, kids }
}

/** Fetch a JWKS over HTTP(S) with a deadline. */
export async function fetchJwksDocument(url: string, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<unknown> {
  const shown = maskUrl(url)
  const signals = [AbortSignal.timeout(Math.max(1, Math.floor(opts.timeoutMs)))]
  if (opts.signal) signals.push(opts.signal)
  let res: Response
  try {
    res = await fetch(url, { signal: AbortSignal.any(signals), headers: { accept: 'application/json', 'user-agent': 'medic' } })
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause
    let why = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError') ? `no answer within ${opts.timeoutMs} ms` : cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err))
    // fetch refuses some ports outright (9, 25, 6000...): "bad port" alone reads like a medic bug.
    if (why === 'bad port') why = 'bad port (fetch refuses to connect to this port; a JWKS is served over HTTP(S), usually on 443)'
    throw new Error(`could not fetch the JWKS from ${shown}: ${why}`)
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => {})
    throw new Error(`could not fetch the JWKS from ${shown}: HTTP ${res.status}`)
  }
  const type = res.headers.get('content-type') ?? 'no content type'
  const body = await res.text()
  try {
    return JSON.parse(body)
  } catch {
    const html = /html/i.test(type) || /^\s*</.test(body)
    throw new Error(`${shown} did not answer JSON (expected a JWKS): it answered ${html ? `an HTML page (${type}), probably a login page or the wrong path` : type}`)
  }
}

/** Does this key kind fit the algorithm (family, curve, and the JWK's own `alg`)? A reason when not. */
export function incompatibility(c: Candidate, alg: string): string | undefined {
  const info = algInfo(alg)
  if (!info) return `medic cannot verify alg ${alg}`
  if (c.family !== info.family) return `${alg} needs ${info.keyKind}, ${c.label} is ${c.family === 'hmac' ? 'a shared secret' : `a public key`}`
  if (info.curve && c.curve && c.curve !== info.curve) return `${alg} needs ${info.keyKind}, ${c.label} is on curve ${c.curve}`
  if (c.alg && c.alg !== alg) return `${c.label} is published for alg ${c.alg}, the token uses ${alg}`
  return undefined
}
