/**
 * How an API key is shown and judged without ever printing it: its well-known prefix and its
 * length (`sk-proj-… (164 chars)`), and the shapes that make a key fail (whitespace, quotes, a
 * doubled `Bearer `, a placeholder value).
 */

/** Public, well-known prefixes: they say which kind of key it is and nothing secret. Longest first. */
const KNOWN_PREFIXES = [
  'sk-ant-admin01-',
  'sk-ant-api03-',
  'sk-svcacct-',
  'sk-admin-',
  'sk-proj-',
  'sk-or-v1-',
  'sk-ant-',
  'sk_live_',
  'sk_test_',
  'rk_live_',
  'rk_test_',
  'pk_live_',
  'pk_test_',
  'pcsk_',
  'gsk_',
  'xai-',
  'hf_',
  'r8_',
  'sk-',
  'AIza',
]

/** `sk-proj-… (164 chars)`; an unknown format shows no characters at all. */
export function describeKey(key: string): string {
  const trimmed = key.replace(/^[\s"']+/, '')
  const prefix = KNOWN_PREFIXES.find((p) => trimmed.startsWith(p))
  return `${prefix ?? ''}… (${key.length} chars)`
}

/** What is wrong with the shape of a key, in words; empty when nothing is. */
export function keyProblems(key: string): string[] {
  const problems: string[] = []
  if (/^\s/.test(key)) problems.push('leading whitespace')
  if (/\s$/.test(key)) problems.push(/[\r\n]$/.test(key) ? 'a trailing line break' : 'trailing whitespace')
  if (/^["'`]|["'`]$/.test(key)) problems.push('quote characters around it (copied from a .env or JSON with the quotes)')
  if (/^\s*bearer\s/i.test(key)) problems.push('a "Bearer " prefix inside the key (it is sent twice)')
  const core = key.trim().replace(/^["'`]|["'`]$/g, '')
  if (/[\r\n\t\0]/.test(core)) problems.push('a control character or line break inside it')
  else if (/\s/.test(core.replace(/^bearer\s+/i, ''))) problems.push('whitespace inside it')
  if (/[^\x20-\x7e\s]/.test(core)) problems.push('non-ASCII characters (a look-alike character pasted in?)')
  if (/^\$\{?\w+\}?$/.test(core)) problems.push('an unexpanded variable reference instead of a value')
  if (/^(sk-)?(x{4,}|\.{3,}|your[-_ ]?(api[-_ ]?)?key.*|changeme|replace[-_ ]?me|todo|dummy|test|placeholder)$/i.test(core)) {
    problems.push('a placeholder value, not a real key')
  }
  return problems
}

/** Whether an HTTP client can send the key in a header at all (line breaks and NUL cannot be). */
export function keySendable(key: string): boolean {
  return !/[\r\n\0]/.test(key)
}

/** Remove anything key-like from a provider's message (OpenAI echoes `sk-proj-****abcd`). */
export function scrubKeyText(text: string, key: string | undefined): string {
  let out = text
  if (key && key.trim().length >= 4) out = out.split(key.trim()).join('***')
  out = out.replace(/\b((?:sk|pk|rk)[-_][A-Za-z0-9]*[-_]?)[A-Za-z0-9*_-]{4,}/g, '$1***')
  out = out.replace(/\*{3,}[A-Za-z0-9_-]{1,8}\b/g, '***')
  return out
}
