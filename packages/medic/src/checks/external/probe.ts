/**
 * The one probe the external checks share: a single cheap authenticated GET per target per run
 * (OpenAI: GET /models). external.connect, external.auth, external.limits and external.latency
 * each read a different part of its answer, so a dead API costs one request and yields one finding.
 */
import type { CheckContext } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { maskUrl } from '../../engine/redact.js'
import { createProbeClient, joinUrl, NetFailure, probeBudget, type HttpResult, type ProbeClient } from './http-probe.js'
import { keySendable, scrubKeyText } from './key.js'
import { AUTH_CODES, PRESETS, QUOTA_CODES, QUOTA_MESSAGE, RATE_LIMIT_HEADERS, type Preset } from './presets.js'

export interface ExternalSetup {
  presetId: 'openai' | 'generic'
  preset: Preset
  /** Full probe URL (may carry secrets in its query: print `displayUrl`). */
  probeUrl?: string
  displayUrl: string
  /** Whether `probePath` was set by the user or the preset (a 404 then means a wrong base URL). */
  explicitProbe: boolean
  key?: string
  header: { name: string; template: string }
  /** Why the probe cannot be built (generic preset without url). */
  missing?: string
}

export function setupOf(ctx: CheckContext): ExternalSetup {
  const o = ctx.target.options as { preset?: 'openai' | 'generic'; url?: string; key?: string; authHeader?: string; probePath?: string }
  const presetId = o.preset ?? 'generic'
  const preset = PRESETS[presetId]
  const base = o.url ?? preset.baseUrl
  const path = o.probePath ?? preset.probePath
  const header = parseAuthHeader(o.authHeader ?? preset.authHeader)
  const key = o.key === undefined || o.key === '' ? undefined : o.key
  const explicitProbe = o.probePath !== undefined || presetId !== 'generic'
  if (!base) {
    return { presetId, preset, displayUrl: '(no url)', explicitProbe, key, header, missing: `preset ${presetId} has no default URL: set url: (and probePath:) on target ${ctx.target.id}` }
  }
  const probeUrl = joinUrl(base, path)
  return { presetId, preset, probeUrl, displayUrl: maskUrl(probeUrl), explicitProbe, key, header }
}

/** `x-api-key` → `x-api-key: {key}`; `Authorization` → `Authorization: Bearer {key}`; `Name: Token {key}` as given. */
export function parseAuthHeader(spec: string): { name: string; template: string } {
  const i = spec.indexOf(':')
  if (i < 0) {
    const name = spec.trim()
    return { name, template: name.toLowerCase() === 'authorization' ? 'Bearer {key}' : '{key}' }
  }
  const name = spec.slice(0, i).trim()
  const template = spec.slice(i + 1).trim()
  return { name, template: template.includes('{key}') ? template : `${template} {key}`.trim() }
}

/** The curl command a person runs to see the same answer; the key stays in a shell variable. */
export function curlCommand(s: ExternalSetup): string {
  const auth = s.header.template.replace('{key}', `$${s.preset.keyVariable}`)
  const header = s.key !== undefined || s.preset.requiresKey ? ` -H "${s.header.name}: ${auth}"` : ''
  return `curl -sS -i --max-time 10 "${s.displayUrl}"${header}`
}

export interface Probe {
  setup: ExternalSetup
  result?: HttpResult
  failure?: NetFailure
  /** The key went out in the request. */
  keySent: boolean
  /** A key is configured but no HTTP client can send it (line break, NUL): probed without it. */
  keyUnsendable: boolean
  error?: ProviderError
}

export interface ProviderError {
  message?: string
  type?: string
  code?: string
}

/** OpenAI-style `{"error":{"message","type","code"}}`, also `{"error":"text"}` and `{"message":...}`; messages scrubbed of key fragments. */
export function parseProviderError(body: string, key?: string): ProviderError | undefined {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    const text = body.trim()
    return text ? { message: scrubKeyText(text.slice(0, 300), key) } : undefined
  }
  if (!json || typeof json !== 'object') return undefined
  const root = json as Record<string, unknown>
  const e = typeof root.error === 'object' && root.error !== null ? (root.error as Record<string, unknown>) : root
  const str = (v: unknown) => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined)
  const message = str(e.message) ?? str(root.error) ?? str(root.detail)
  const out: ProviderError = {
    message: message ? scrubKeyText(message.slice(0, 300), key) : undefined,
    type: str(e.type),
    code: str(e.code),
  }
  return out.message || out.type || out.code ? out : undefined
}

export function isQuotaError(status: number, err: ProviderError | undefined): boolean {
  if (status === 402) return true
  if (!err) return false
  if ((err.code && QUOTA_CODES.has(err.code)) || (err.type && QUOTA_CODES.has(err.type))) return true
  return (status === 429 || status === 403 || status === 400) && QUOTA_MESSAGE.test(err.message ?? '')
}

export function isAuthError(status: number, err: ProviderError | undefined): boolean {
  if (isQuotaError(status, err)) return false
  return status === 401 || status === 403 || (!!err?.code && AUTH_CODES.has(err.code))
}

export function errorText(err: ProviderError | undefined): string {
  if (!err) return '(no error body)'
  const tag = [err.code, err.type].filter((v, i, a) => v && a.indexOf(v) === i).join(' / ')
  return `${tag ? `${tag}: ` : ''}${err.message ?? ''}`.trim()
}

export interface RateWindow {
  /** `requests`, `tokens`, or `` for a single window. */
  name: string
  limit: number
  remaining: number
  /** Percent of the window left. */
  pct: number
  reset?: string
  headers: string
}

/** Every rate-limit window the answer's headers describe. */
export function rateWindows(headers: Record<string, string>): RateWindow[] {
  const out: RateWindow[] = []
  for (const [name, value] of Object.entries(headers)) {
    for (const family of RATE_LIMIT_HEADERS) {
      const m = name.match(family.limit)
      if (!m) continue
      const remName = family.remaining(m)
      const limit = Number.parseFloat(value)
      const remaining = Number.parseFloat(headers[remName] ?? '')
      if (!Number.isFinite(limit) || !Number.isFinite(remaining) || limit <= 0) continue
      const resetName = family.reset(m)
      out.push({
        name: m[1] ?? '',
        limit,
        remaining,
        pct: Math.round((remaining / limit) * 1000) / 10,
        reset: headers[resetName],
        headers: `${name}: ${value}, ${remName}: ${headers[remName]}${headers[resetName] ? `, ${resetName}: ${headers[resetName]}` : ''}`,
      })
    }
  }
  return out
}

/** Evidence lines for rate-limit headers and retry hints. */
export function rateEvidence(headers: Record<string, string>, lowPct: number): Evidence[] {
  const ev: Evidence[] = rateWindows(headers).map((w) => ({
    label: `rate limit${w.name ? ` (${w.name})` : ''}`,
    observed: `${w.remaining} of ${w.limit} left (${w.pct} %)${w.reset ? `, resets in ${w.reset}` : ''} [${w.headers}]`,
    expected: `>= ${lowPct} % left`,
  }))
  for (const h of ['retry-after', 'retry-after-ms']) {
    if (headers[h]) ev.push({ label: h, observed: headers[h] })
  }
  return ev
}

/** Headers that identify the request and the account to the provider's support (not secrets): request id, organisation, project. */
const CONTEXT_HEADERS = ['x-request-id', 'request-id', 'openai-organization', 'openai-project']

export function contextEvidence(headers: Record<string, string>): Evidence[] {
  const seen = CONTEXT_HEADERS.filter((h) => headers[h]).map((h) => `${h}: ${headers[h]}`)
  return seen.length ? [{ label: 'provider context', observed: seen.join(', ') }] : []
}

function httpOf(ctx: CheckContext): Promise<ProbeClient> {
  return ctx.shared.get(`external:http:${ctx.target.id}`, async () => createProbeClient(), (c) => c.close())
}

/** The shared probe of this target (made once per run, whichever check asks first). */
export function getProbe(ctx: CheckContext): Promise<Probe> {
  return ctx.shared.get(`external:probe:${ctx.target.id}`, async () => {
    const setup = setupOf(ctx)
    const probe: Probe = { setup, keySent: false, keyUnsendable: false }
    if (!setup.probeUrl) return probe
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'medic (read-only probe)' }
    if (setup.key !== undefined) {
      if (keySendable(setup.key)) {
        headers[setup.header.name.toLowerCase()] = setup.header.template.replace('{key}', setup.key)
        probe.keySent = true
      } else {
        // Still find out whether the API is reachable; external.auth reports the unsendable key.
        probe.keyUnsendable = true
      }
    }
    const client = await httpOf(ctx)
    try {
      probe.result = await client.get(setup.probeUrl, { headers, timeoutMs: probeBudget(ctx.remainingMs()), signal: ctx.signal, maxBytes: 64_000 })
      if (probe.result.status >= 400) probe.error = parseProviderError(probe.result.body, setup.key)
    } catch (err) {
      if (!(err instanceof NetFailure)) throw err
      probe.failure = err
    }
    return probe
  })
}

/** For the checks after external.connect: the answer, or a skip when there is none (one finding for a dead API). */
export async function reachableProbe(ctx: CheckContext): Promise<Probe & { result: HttpResult }> {
  const probe = await getProbe(ctx)
  if (probe.setup.missing) return ctx.skip(probe.setup.missing)
  if (!probe.result) return ctx.skip(`${probe.setup.preset.name} is unreachable (see external.connect)`)
  return probe as Probe & { result: HttpResult }
}

export function statusText(r: HttpResult): string {
  return `HTTP ${r.status}`
}
