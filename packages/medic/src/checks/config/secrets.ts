/**
 * Secret strength: known default values (data), length and Shannon entropy. Nothing here ever
 * returns the value itself, only numbers and the name of the rule that failed.
 */

/**
 * Values shipped in templates, tutorials and docker images. Compared after lower-casing and
 * dropping everything but letters and digits, so `CHANGE_ME`, `change-me` and `Change Me` match.
 */
export const KNOWN_DEFAULT_SECRETS = [
  'changeme',
  'change_me',
  'changethis',
  'changeit',
  'secret',
  'secretkey',
  'secret_key',
  'your-secret-key',
  'your_secret_key',
  'your-secret-key-here',
  'your-jwt-secret',
  'yoursecret',
  'supersecret',
  'super-secret-key',
  'mysecret',
  'mysecretkey',
  'dev-secret',
  'development',
  'insecure',
  'django-insecure',
  'password',
  'passw0rd',
  'p@ssw0rd',
  'admin',
  'root',
  'postgres',
  'mysql',
  'test',
  'testing',
  'default',
  'example',
  'placeholder',
  'xxx',
  'todo',
  'fixme',
  'replace-me',
  'replaceme',
  '123456',
  '12345678',
  'qwerty',
  'letmein',
  'keyboardcat',
  'notasecret',
  'shhh',
]

/** Fragments that mark a template value whatever surrounds them (`change-me-in-production`). */
export const DEFAULT_MARKERS = ['changeme', 'changethis', 'replaceme', 'yoursecret', 'placeholder', 'notsecret', 'insecure', 'devsecret', 'dummy', 'generateone', 'putyour', 'example']

const normalize = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '')
const KNOWN = new Set(KNOWN_DEFAULT_SECRETS.map(normalize))

export function isKnownDefault(value: string): boolean {
  const n = normalize(value)
  if (KNOWN.has(n)) return true
  return DEFAULT_MARKERS.some((m) => n.includes(m))
}

/** Shannon entropy of the character distribution, bits per character. */
export function shannonBitsPerChar(value: string): number {
  if (!value) return 0
  const counts = new Map<string, number>()
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  const n = [...value].length
  let h = 0
  for (const c of counts.values()) {
    const p = c / n
    h -= p * Math.log2(p)
  }
  return h
}

export interface SecretRules {
  minLength: number
  minBitsPerChar: number
  minTotalBits: number
}

export interface SecretVerdict {
  /** Rules that failed: `missing`, `known default`, `too short`, `low entropy`. */
  failed: string[]
  length: number
  bitsPerChar: number
  totalBits: number
}

export function judgeSecret(value: string | undefined, rules: SecretRules): SecretVerdict {
  if (value === undefined || value === '') return { failed: ['missing'], length: 0, bitsPerChar: 0, totalBits: 0 }
  const length = [...value].length
  const bitsPerChar = shannonBitsPerChar(value)
  const totalBits = bitsPerChar * length
  const failed: string[] = []
  if (isKnownDefault(value)) failed.push('known default')
  if (length < rules.minLength) failed.push('too short')
  if (bitsPerChar < rules.minBitsPerChar || totalBits < rules.minTotalBits) failed.push('low entropy')
  return { failed, length, bitsPerChar, totalBits }
}
