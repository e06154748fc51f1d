/**
 * Presets for third-party APIs, as data: where the API lives, the cheap authenticated GET used as a
 * probe, how the key is sent, and how its errors read. Add a provider here, not in the checks.
 */

export interface Preset {
  /** Name shown in titles ("OpenAI at api.openai.com ..."). */
  name: string
  /** Base URL when the target sets no `url`. */
  baseUrl?: string
  /** Cheap authenticated GET relative to the base URL. */
  probePath: string
  /** `Header-Name: template`, `{key}` replaced by the key. */
  authHeader: string
  /** With no key configured the auth and limit checks are skipped with this requirement named. */
  requiresKey: boolean
  /** Variable a person usually keeps the key in, for the commands we print (never the key itself). */
  keyVariable: string
  /** Where a person sees usage, limits and billing. */
  dashboard?: string
}

export const PRESETS: Record<'openai' | 'generic', Preset> = {
  openai: {
    name: 'OpenAI',
    baseUrl: 'https://api.openai.com/v1',
    probePath: '/models',
    authHeader: 'Authorization: Bearer {key}',
    requiresKey: true,
    keyVariable: 'OPENAI_API_KEY',
    dashboard: 'https://platform.openai.com/usage',
  },
  generic: {
    name: 'API',
    probePath: '/',
    authHeader: 'Authorization: Bearer {key}',
    requiresKey: false,
    keyVariable: 'API_KEY',
  },
}

/**
 * Error `code`/`type` values (OpenAI's `{"error":{...}}` body and compatible APIs) that mean the
 * account has no quota or credit left: not a transient rate limit, retrying does not help.
 */
export const QUOTA_CODES = new Set(['insufficient_quota', 'billing_hard_limit_reached', 'billing_not_active', 'quota_exceeded', 'credit_balance_too_low'])

/** Messages that mean quota or billing when the provider gives no code. */
export const QUOTA_MESSAGE = /exceeded your current quota|insufficient[_ ]quota|quota (has been )?exceeded|billing|credit balance|out of credits|payment required/i

/** Error codes that mean the key itself is rejected. */
export const AUTH_CODES = new Set(['invalid_api_key', 'invalid_authentication', 'invalid_organization', 'account_deactivated', 'unauthorized', 'authentication_error', 'permission_error'])

/**
 * Rate-limit header families, as data. Each pairs a "limit" header with its "remaining" header and
 * the header saying when the window resets. OpenAI: x-ratelimit-{limit,remaining,reset}-{requests,tokens};
 * GitHub-style: x-ratelimit-{limit,remaining,reset}; IETF draft: ratelimit-{limit,remaining,reset};
 * Anthropic: anthropic-ratelimit-{requests,tokens,...}-{limit,remaining,reset}.
 */
export const RATE_LIMIT_HEADERS: { limit: RegExp; remaining: (m: RegExpMatchArray) => string; reset: (m: RegExpMatchArray) => string }[] = [
  { limit: /^x-ratelimit-limit-([a-z-]+)$/, remaining: (m) => `x-ratelimit-remaining-${m[1]}`, reset: (m) => `x-ratelimit-reset-${m[1]}` },
  { limit: /^x-ratelimit-limit$/, remaining: () => 'x-ratelimit-remaining', reset: () => 'x-ratelimit-reset' },
  { limit: /^ratelimit-limit$/, remaining: () => 'ratelimit-remaining', reset: () => 'ratelimit-reset' },
  { limit: /^anthropic-ratelimit-([a-z-]+)-limit$/, remaining: (m) => `anthropic-ratelimit-${m[1]}-remaining`, reset: (m) => `anthropic-ratelimit-${m[1]}-reset` },
]
