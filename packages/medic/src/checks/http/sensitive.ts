/**
 * Find fields in a JSON document that should never leave a server: passwords, password hashes,
 * secrets, tokens, API and private keys. Returns JSON paths only: the values are never kept.
 */

/** Normalised key (lowercase, no `_`/`-`) that is sensitive on its own. */
const EXACT = new Set([
  'password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'token', 'salt', 'apikey', 'privatekey',
  'ssn', 'cvv', 'cvc', 'cardnumber', 'creditcard', 'creditcardnumber', 'pin',
  'connectionstring', 'databaseurl', 'dsn',
])
/** Endings that make a key sensitive (`dbPassword`, `jwtSecret`, `stripeApiKey`, `refresh_token`). */
const SUFFIXES = [
  'password', 'passwordhash', 'passwordsalt', 'passwd', 'passphrase', 'secret', 'secretkey', 'apikey', 'apisecret',
  'privatekey', 'accesskey', 'accesstoken', 'refreshtoken', 'idtoken', 'authtoken', 'sessiontoken', 'bearertoken',
  'apitoken', 'secrettoken', 'signingkey', 'encryptionkey', 'clientsecret', 'hashedpassword', 'pwdhash', 'passhash',
]
/** Keys that end like a secret but are not one (pagination cursors, token counts, flags). */
const ALLOW = new Set([
  'nextpagetoken', 'pagetoken', 'continuationtoken', 'csrftoken', 'xsrftoken', 'tokentype', 'tokens',
  'passwordset', 'haspassword', 'passwordexpired', 'passwordexpiresat', 'passwordchangedat', 'passwordupdatedat',
  'passwordpolicy', 'passwordminlength', 'passwordlastchanged', 'secretname', 'secretid', 'keyid',
])

export function isSensitiveKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[_\-\s.]/g, '')
  if (ALLOW.has(k)) return false
  if (EXACT.has(k)) return true
  return SUFFIXES.some((s) => k.endsWith(s))
}

/** A value that exposes something: a non-empty string or a number. null, '', booleans and masks (`***`) do not. */
function exposes(value: unknown): boolean {
  if (typeof value === 'number') return true
  if (typeof value !== 'string') return value !== null && typeof value === 'object' && Object.keys(value).length > 0
  const v = value.trim()
  return v.length > 0 && !/^[*•x.]+$/i.test(v) && !/^\[?(redacted|hidden|masked|filtered)\]?$/i.test(v)
}

const keyPath = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`)

export interface SensitiveHit {
  /** `$.user.passwordHash`; array indices collapsed to `[*]` so a list of 1000 users is one path. */
  path: string
  /** How many values sit at that path. */
  count: number
}

/** Walk the document (bounded depth and node count) and list the sensitive paths. */
export function findSensitiveFields(json: unknown, maxNodes = 100_000): SensitiveHit[] {
  const hits = new Map<string, number>()
  let nodes = 0
  const walk = (value: unknown, path: string, depth: number) => {
    if (depth > 32 || ++nodes > maxNodes) return
    if (Array.isArray(value)) {
      for (const v of value) walk(v, `${path}[*]`, depth + 1)
      return
    }
    if (value === null || typeof value !== 'object') return
    for (const [k, v] of Object.entries(value)) {
      const p = path + keyPath(k)
      if (isSensitiveKey(k) && exposes(v)) hits.set(p, (hits.get(p) ?? 0) + 1)
      else walk(v, p, depth + 1)
    }
  }
  walk(json, '$', 0)
  return [...hits].map(([path, count]) => ({ path, count }))
}
