/**
 * Token input and JWS compact parsing, without verifying anything. Total over strings: any input
 * yields either a decoded token or a precise reason (which part, why), never a throw, in time
 * linear in the input. The token text, the signature and any decoded non-JSON bytes are never put
 * into a reason, so the reasons are safe to print.
 */

/** Tokens longer than this are refused before any decoding (servers cap headers at 8-64 KiB). */
export const MAX_TOKEN_LENGTH = 64 * 1024

export type TokenPart = 'authorization header' | 'token' | 'header' | 'claims' | 'signature'

export interface MalformedReason {
  part: TokenPart
  reason: string
}

export interface DecodedJwt {
  header: Record<string, unknown>
  claims: Record<string, unknown>
  /** The exact bytes that were signed (`header.payload`), for verification. */
  signingInput: string
  /** Length in bytes of the decoded signature (never its value). */
  signatureBytes: number
  /** The compact token, cleaned of wrappers (`Bearer `, quotes). Never print it. */
  compact: string
}

export interface ParsedInput {
  /** How the input carried the token: a bare token, `Bearer x`, or an `Authorization:` header line. */
  carrier: 'token' | 'bearer' | 'authorization header'
  /** Problems that make a server reject the token (wrappers, structure, JSON). Empty when well formed. */
  problems: MalformedReason[]
  /** Present when the token could be decoded (possibly after removing wrappers reported in problems). */
  decoded?: DecodedJwt
  /** Harmless remarks (surrounding whitespace removed...). */
  notes: string[]
}

const BASE64URL = /^[A-Za-z0-9_-]*$/
const QUOTES = /^["'`]|["'`]$/
const API_KEY_SHAPE = /^(sk|pk|rk)[-_]|^(xox[abpr]-|ghp_|gho_|github_pat_|AKIA)/

/** Describe a character without echoing anything else of the token. */
function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0
  if (ch === ' ') return 'a space'
  if (ch === '\t') return 'a tab'
  if (ch === '\n' || ch === '\r') return 'a line break'
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`
  if (code > 0x7e) return `non-ASCII character U+${code.toString(16).padStart(4, '0').toUpperCase()}`
  return `"${ch}"`
}

function checkBase64url(part: string, name: TokenPart): MalformedReason | undefined {
  if (BASE64URL.test(part)) {
    // A base64 text of length 4n+1 cannot be decoded: a character was lost or added.
    if (part.length % 4 === 1) return { part: name, reason: `${name} part has an impossible base64url length (${part.length} characters, 4n+1): it was truncated or has a stray character` }
    return undefined
  }
  for (let i = 0; i < part.length; i++) {
    const ch = part[i]
    if (/[A-Za-z0-9_-]/.test(ch)) continue
    if (ch === '=') {
      return { part: name, reason: `${name} part ends with "=" padding at position ${i + 1}: JWS uses unpadded base64url (RFC 7515 §2), many verifiers reject it` }
    }
    if (ch === '+' || ch === '/') {
      return { part: name, reason: `${name} part contains ${describeChar(ch)} at position ${i + 1}: standard base64, not base64url (which uses "-" and "_")` }
    }
    return { part: name, reason: `${name} part contains ${describeChar(ch)} at position ${i + 1}: not a base64url character` }
  }
  return undefined
}

function decodeJsonPart(part: string, name: 'header' | 'claims'): { value?: Record<string, unknown>; problem?: MalformedReason } {
  if (part.length === 0) return { problem: { part: name, reason: `${name} part is empty` } }
  const bad = checkBase64url(part, name)
  if (bad) return { problem: bad }
  const bytes = Buffer.from(part, 'base64url')
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return { problem: { part: name, reason: `${name} part decodes to ${bytes.length} bytes that are not UTF-8 text (expected JSON)` } }
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    // V8 messages quote the input; keep only the position so nothing of the token is echoed.
    const at = /position (\d+)/.exec(err instanceof Error ? err.message : '')
    const first = text.trimStart()[0]
    const hint = first === undefined ? 'it is blank' : first !== '{' ? `it starts with ${describeChar(first)}, not "{"` : at ? `syntax error at character ${Number(at[1]) + 1}` : 'syntax error'
    return { problem: { part: name, reason: `${name} part decodes to ${bytes.length} bytes that are not valid JSON (${hint})` } }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`
    return { problem: { part: name, reason: `${name} part is JSON ${kind}, expected a JSON object` } }
  }
  return { value: value as Record<string, unknown> }
}

/** Remove the `Authorization:` / `Bearer` carrier and stray quotes, noting each problem a server would trip on. */
function unwrap(input: string): { token: string; carrier: ParsedInput['carrier']; problems: MalformedReason[]; notes: string[] } {
  const problems: MalformedReason[] = []
  const notes: string[] = []
  let s = input
  const trimmed = s.trim()
  if (trimmed !== s && trimmed.length > 0) notes.push('surrounding whitespace was ignored')
  s = trimmed
  let carrier: ParsedInput['carrier'] = 'token'
  const header = /^authorization\s*:\s*/i.exec(s)
  if (header) {
    carrier = 'authorization header'
    s = s.slice(header[0].length)
    const scheme = /^([A-Za-z][A-Za-z0-9_-]*)(\s+|$)/.exec(s)
    if (scheme && /^(basic|digest|negotiate|ntlm|hoba|mutual|aws4-hmac-sha256)$/i.test(scheme[1])) {
      problems.push({ part: 'authorization header', reason: `the header uses the ${scheme[1]} scheme, not Bearer: there is no JWT in it` })
      return { token: '', carrier, problems, notes }
    }
    if (!scheme || !/^bearer$/i.test(scheme[1])) {
      if (s.length > 0) problems.push({ part: 'authorization header', reason: 'the header has no "Bearer " prefix before the token (expected "Authorization: Bearer <token>")' })
    }
  }
  const bearer = /^bearer(\s+|$)/i.exec(s)
  if (bearer) {
    if (carrier === 'token') carrier = 'bearer'
    s = s.slice(bearer[0].length)
    if (bearer[1] !== ' ' && bearer[1] !== '') problems.push({ part: 'authorization header', reason: 'the "Bearer" prefix is followed by more than one space or by a tab (expected exactly one space)' })
    const again = /^bearer(\s+|$)/i.exec(s)
    if (again) {
      problems.push({ part: 'authorization header', reason: 'the value carries "Bearer" twice: the client adds the prefix to a value that already has it' })
      s = s.slice(again[0].length)
    }
  }
  if (s.length > 1 && QUOTES.test(s)) {
    problems.push({ part: 'token', reason: 'the token is wrapped in quotes: the quotes are sent as part of it (check how the variable or config value is quoted)' })
    s = s.replace(/^["'`]+/, '').replace(/["'`]+$/, '')
  }
  return { token: s, carrier, problems, notes }
}

/** Parse one token, bare or as `Bearer x` / `Authorization: Bearer x`. Never throws. */
export function parseToken(input: string): ParsedInput {
  if (input.length > MAX_TOKEN_LENGTH) {
    return { carrier: 'token', problems: [{ part: 'token', reason: `the input is ${input.length} characters long, more than the ${MAX_TOKEN_LENGTH} a token can be: not a JWT` }], notes: [] }
  }
  const { token, carrier, problems, notes } = unwrap(input)
  const fail = (p: MalformedReason): ParsedInput => ({ carrier, problems: [...problems, p], notes })
  if (token.length === 0) {
    if (problems.length > 0) return { carrier, problems, notes }
    const reason = carrier === 'token' ? 'the input is empty' : carrier === 'bearer' || /bearer\s*$/i.test(input) ? 'there is no token after "Bearer"' : 'the Authorization header is empty'
    return fail({ part: carrier === 'token' ? 'token' : 'authorization header', reason })
  }
  const ws = /\s/.exec(token)
  if (ws) return fail({ part: 'token', reason: `the token contains ${describeChar(ws[0])} at position ${ws.index + 1}: it was wrapped or pasted with a break` })
  const parts = token.split('.')
  if (parts.length !== 3) {
    const n = parts.length
    if (n === 5) return fail({ part: 'token', reason: 'the token has 5 parts: it is an encrypted JWT (JWE), which cannot be read without the decryption key' })
    if (n === 1) {
      const looksLikeKey = API_KEY_SHAPE.test(token)
      return fail({ part: 'token', reason: `the token has no "." at all (1 part, a JWT has 3: header.claims.signature)${looksLikeKey ? ': this looks like an API key, check it with `medic jwt --api-key`' : ': an opaque token or API key, not a JWT'}` })
    }
    if (n === 2) return fail({ part: 'token', reason: 'the token has 2 parts, a JWT has 3 (header.claims.signature): the signature part is missing (even an unsigned token ends with ".")' })
    return fail({ part: 'token', reason: `the token has ${n} parts, a JWT has 3 (header.claims.signature)` })
  }
  const [h, p, sig] = parts
  const header = decodeJsonPart(h, 'header')
  if (header.problem) return fail(header.problem)
  const claims = decodeJsonPart(p, 'claims')
  if (claims.problem) return fail(claims.problem)
  const sigBad = checkBase64url(sig, 'signature')
  if (sigBad) return fail(sigBad)
  const alg = header.value!.alg
  if (alg === undefined) return fail({ part: 'header', reason: 'the header has no "alg" (the signing algorithm is required, RFC 7515 §4.1.1)' })
  if (typeof alg !== 'string' || alg.length === 0) return fail({ part: 'header', reason: `the header "alg" is ${typeof alg === 'string' ? 'empty' : `a ${alg === null ? 'null' : typeof alg}`}, expected a name such as "HS256" or "RS256"` })
  const timeProblem = badNumericDates(claims.value!)
  if (timeProblem) return fail(timeProblem)
  return {
    carrier,
    problems,
    notes,
    decoded: {
      header: header.value!,
      claims: claims.value!,
      signingInput: `${h}.${p}`,
      signatureBytes: Math.floor((sig.length * 3) / 4),
      compact: token,
    },
  }
}

/** exp, nbf and iat must be NumericDate numbers (RFC 7519 §2); verifiers reject strings. */
function badNumericDates(claims: Record<string, unknown>): MalformedReason | undefined {
  for (const name of ['exp', 'nbf', 'iat']) {
    const v = claims[name]
    if (v === undefined) continue
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      const kind = v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? 'a string' : `a ${typeof v}`
      return { part: 'claims', reason: `the "${name}" claim is ${kind}, expected a NumericDate (seconds since 1970 as a number)` }
    }
  }
  return undefined
}

/**
 * A value from the token, made safe to print: control characters (terminal escapes) become "?",
 * and long values are cut. Header and claims are attacker-controlled text.
 */
export function safe(v: string, max = 120): string {
  const s = v.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')
  return s.length > max ? `${s.slice(0, max - 1)}…` : s
}

/** JSON text of a token value, cut to `max` characters (JSON.stringify already escapes control characters). */
export function safeJson(v: unknown, max = 120): string {
  let s: string
  try {
    s = JSON.stringify(v) ?? String(v)
  } catch {
    s = String(v)
  }
  return safe(s, max)
}

/** Claims shown as times (NumericDate seconds). */
export const TIME_CLAIMS = ['exp', 'nbf', 'iat', 'auth_time']
