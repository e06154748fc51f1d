/**
 * Secrets never leave medic: every rendered output passes through `redact`. Known secret values
 * (collected from the config and environment) are replaced, and so is anything that looks like a
 * credential (DSN passwords, bearer tokens, JWTs, provider keys).
 */
import { mapStrings } from '../util/map-strings.js'

const MASK = '***'

/** A shell variable reference (`$QDRANT_API_KEY`, `${TOKEN}`) names a secret without holding it. */
const SHELL_VARIABLE = /^\$\{?[A-Z_][A-Z0-9_]*\}?$/

export const PATTERNS: [RegExp, string | ((whole: string, ...groups: string[]) => string)][] = [
  // scheme://user:password@host -> scheme://user:***@host
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)@/gi, `$1${MASK}@`],
  // Authorization: Bearer xxx / Basic xxx
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${MASK}`],
  // JWTs: three base64url parts, the first starting with eyJ ({")
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, `<jwt ${MASK}>`],
  // Provider API keys: sk-..., sk_live_..., pk_test_..., xoxb-..., ghp_...
  [/\b((?:sk|pk|rk)[-_](?:live_|test_|proj-|ant-)?)[A-Za-z0-9_-]{12,}/g, `$1${MASK}`],
  [/\b(xox[abpr]-|ghp_|gho_|github_pat_|AKIA)[A-Za-z0-9_-]{10,}/g, `$1${MASK}`],
  // key=value pairs whose key names a secret (password=..., api_key: ...)
  // Not: plain numbers with a unit (Nagios perfdata `auth.apikey=12ms`) or the words MySQL uses in
  // "using password: YES".
  [/\b([A-Za-z0-9_]*?(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)["']?\s*[=:]\s*["']?)(?!(?:[\d.]+(?:ms|s|%|B|KB|MB)?|YES|NO|true|false|null|none|\*\*\*)(?:[\s"',;&)]|$))([^\s"',;&]{3,})/gi, (whole, key: string, value: string) => (SHELL_VARIABLE.test(value) ? whole : `${key}${MASK}`)],
]

/**
 * Text every pattern above needs one of (a scheme's ://, a bearer or basic word, eyJ, a key
 * prefix, a secret's key name): one scan tells that none can match, as in most output strings.
 */
export const MAYBE_SECRET = /:\/\/|bearer|basic|eyJ|[sprk]k[-_]|xox|gh[po]_|github_pat|AKIA|pass|pwd|secret|token|key/i

export class Redactor {
  private secrets = new Set<string>()
  private sorted: string[] | null = []
  private known: string[] | null = null

  /** Remember a secret value so it is masked wherever it appears. Short values are ignored (too many false hits). */
  add(value: string | undefined | null): void {
    if (!value || value.length < 4) return
    this.secrets.add(value)
    // URL-encoded forms appear in DSNs.
    const enc = encodeURIComponent(value)
    if (enc !== value) this.secrets.add(enc)
    this.sorted = null
    this.known = null
  }

  /** Remember the password of a URL/DSN. */
  addUrl(url: string | undefined): void {
    if (!url) return
    try {
      const u = new URL(url)
      if (u.password) this.add(decodeURIComponent(u.password))
      const pw = u.searchParams.get('password')
      if (pw) this.add(pw)
    } catch {
      // Not a URL: pattern redaction still applies.
    }
  }

  /**
   * Only the known secret values and their JSON-escaped forms, no pattern work: cheap enough for
   * bulk output (`medic logs --emit records`, whose messages get the pattern redaction one by one).
   */
  redactKnown(text: string): string {
    if (this.known === null) {
      const forms = new Set<string>()
      for (const s of this.secrets) forms.add(s).add(JSON.stringify(s).slice(1, -1))
      this.known = [...forms].sort((a, b) => b.length - a.length)
    }
    let out = text
    for (const s of this.known) if (out.includes(s)) out = out.split(s).join(MASK)
    return out
  }

  redact(text: string): string {
    let out = text
    if (this.sorted === null) this.sorted = [...this.secrets].sort((a, b) => b.length - a.length)
    for (const s of this.sorted) {
      if (out.includes(s)) out = out.split(s).join(MASK)
    }
    // A secret cut short by a length limit ("…key JwtEnvSe…") still gives away its start.
    if (out.includes('…')) {
      for (const s of this.sorted) {
        for (let k = s.length - 1; k >= 4; k--) {
          // A provider's scheme prefix (`sk_live_…`, `sk-proj-…`) is shown on purpose: it is not secret.
          if (/^[a-z]{2,4}[-_](?:[a-z]{2,8}[-_])?$/i.test(s.slice(0, k))) break
          const head = `${s.slice(0, k)}…`
          if (out.includes(head)) {
            out = out.split(head).join(`${MASK}…`)
            break
          }
        }
      }
    }
    if (!MAYBE_SECRET.test(out)) return out
    for (const [re, rep] of PATTERNS) out = out.replace(re, rep as (whole: string, ...groups: string[]) => string)
    return out
  }

  /** Redact every string inside a JSON-able value. */
  redactDeep<T>(value: T): T {
    return mapStrings(value, (s) => this.redact(s))
  }

  /** JSON.stringify of the value with every string in it redacted (one pass, no redacted copy). */
  stringify(value: unknown, space?: number): string {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? this.redact(v) : v), space)
  }
}

/** `postgres://app:hunter2@db:5432/x` -> `postgres://app:***@db:5432/x`; non-URLs pass through pattern redaction. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = MASK
    for (const k of [...u.searchParams.keys()]) {
      if (/pass|secret|token|key/i.test(k)) u.searchParams.set(k, MASK)
    }
    return u.toString().replace(/%2A%2A%2A/g, MASK)
  } catch {
    return new Redactor().redact(url)
  }
}
