/**
 * Read a health endpoint's body into an overall status and per-component statuses, whatever the
 * framework. Shapes understood:
 * - `application/health+json` (draft-inadarei-api-health-check): `status` pass|warn|fail and
 *   `checks: { "db:connections": [{ status, output, componentId, ... }] }`
 * - Spring Boot Actuator: `{ status: "DOWN", components: { db: { status: "DOWN", details: { error } } } }`
 *   (Boot 1.x put components under `details`)
 * - NestJS Terminus: `{ status: "error", info: {...}, error: { database: { status: "down", message } }, details: {...} }`
 * - ASP.NET Core HealthChecks: `{ status: "Unhealthy", entries: { npgsql: { status, description, exception } } }`
 * - Flat and ad-hoc ones: `{ status: "healthy" }`, `{ status: "ok", database: "down" }`,
 *   `{ database: { status: "unhealthy", error: "..." } }`, `{ db: false }`, `checks: [{ name, status }]`.
 */

export type HealthState = 'pass' | 'warn' | 'fail'

export interface ComponentHealth {
  /** `database`, `db:connections`, `components.db`... */
  name: string
  state: HealthState
  /** The status word as the service wrote it (`DOWN`, `unhealthy`, `fail`). */
  raw: string
  /** The component's own error text, when it gives one. */
  output?: string
}

export interface HealthReport {
  /** The overall status the body states, if any. */
  overall?: { state: HealthState; raw: string }
  components: ComponentHealth[]
}

// Status words, lowercased. Data, so new frameworks are one line.
const PASS = new Set(['pass', 'passed', 'passing', 'ok', 'okay', 'up', 'healthy', 'green', 'true', 'connected', 'available', 'ready', 'online', 'running', 'success', 'good', 'alive', 'serving'])
const WARN = new Set(['warn', 'warning', 'degraded', 'yellow', 'partial', 'partially_healthy', 'out_of_service'])
const FAIL = new Set(['fail', 'failed', 'failing', 'failure', 'error', 'down', 'unhealthy', 'red', 'false', 'critical', 'disconnected', 'unavailable', 'unreachable', 'offline', 'not ready', 'not_ready', 'notready', 'dead', 'timeout', 'not_serving', 'unknown_error'])

/** Keys holding the overall status. */
const STATUS_KEYS = ['status', 'state', 'health', 'overall', 'overall_status', 'overallStatus']
/** Boolean keys that state the overall health: { healthy: false }. */
const OVERALL_BOOLEANS = ['healthy', 'ok', 'up', 'alive', 'ready']
/** Keys holding components (objects keyed by name, or arrays of { name, status }). */
const CONTAINER_KEYS = ['checks', 'components', 'details', 'entries', 'services', 'dependencies', 'error', 'info', 'results', 'subsystems']
/** Keys holding a component's own message. */
const OUTPUT_KEYS = ['output', 'error', 'message', 'description', 'exception', 'reason', 'detail', 'err', 'msg', 'cause']
/** Keys that are metadata, never components. */
const META_KEYS = new Set(['version', 'releaseid', 'release_id', 'notes', 'description', 'serviceid', 'service_id', 'links', 'timestamp', 'time', 'uptime', 'totalduration', 'duration', 'environment', 'env', 'name', 'service', 'hostname', 'host', 'build', 'commit', 'message', 'output', 'id', 'componentid', 'componenttype', 'observedvalue', 'observedunit', 'affectedendpoints'])

export function stateOf(value: unknown): HealthState | undefined {
  if (typeof value === 'boolean') return value ? 'pass' : 'fail'
  if (typeof value !== 'string') return undefined
  const v = value.trim().toLowerCase()
  if (PASS.has(v)) return 'pass'
  if (WARN.has(v)) return 'warn'
  if (FAIL.has(v)) return 'fail'
  return undefined
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function statusOf(o: Record<string, unknown>): { state: HealthState; raw: string } | undefined {
  for (const k of STATUS_KEYS) {
    if (k in o) {
      const v = o[k]
      // Spring 1.x / some libraries nest it: { status: { code: "DOWN" } }
      const inner = isObject(v) ? (v.code ?? v.status) : v
      const state = stateOf(inner)
      if (state) return { state, raw: String(inner) }
    }
  }
  for (const k of OVERALL_BOOLEANS) {
    if (typeof o[k] === 'boolean') return { state: o[k] ? 'pass' : 'fail', raw: `${k}: ${o[k]}` }
  }
  return undefined
}

function outputOf(o: Record<string, unknown>, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined
  for (const k of OUTPUT_KEYS) {
    const v = o[k]
    if (typeof v === 'string' && v.trim()) return v.trim()
    if (isObject(v)) {
      const nested = outputOf(v, depth + 1)
      if (nested) return nested
    }
  }
  // Spring puts the error under details: { details: { error: "..." } }
  if (isObject(o.details)) return outputOf(o.details, depth + 1)
  return undefined
}

const MAX_DEPTH = 4

/** Components inside a container value (object keyed by name, or array of entries). */
function collect(value: unknown, prefix: string, out: ComponentHealth[], depth: number): void {
  if (depth > MAX_DEPTH) return
  if (Array.isArray(value)) {
    value.forEach((entry, i) => {
      if (!isObject(entry)) return
      const name = [entry.componentId, entry.name, entry.component, entry.id, entry.key].find((x) => typeof x === 'string') as string | undefined
      addComponent(entry, name ? (prefix ? `${prefix}.${name}` : name) : `${prefix}[${i}]`, out, depth)
    })
    return
  }
  if (!isObject(value)) return
  for (const [key, v] of Object.entries(value)) {
    if (META_KEYS.has(key.toLowerCase()) || STATUS_KEYS.includes(key)) continue
    if (prefix === '' && OVERALL_BOOLEANS.includes(key)) continue
    if (typeof v === 'string' && OUTPUT_KEYS.includes(key)) continue
    const name = prefix ? `${prefix}.${key}` : key
    if (Array.isArray(v)) {
      // health+json: "db:connections": [{ status, output }, ...] (one entry per instance)
      if (v.every(isObject)) v.forEach((entry, i) => addComponent(entry as Record<string, unknown>, v.length > 1 ? `${name}[${i}]` : name, out, depth))
      continue
    }
    if (isObject(v)) {
      addComponent(v, name, out, depth)
      continue
    }
    // Booleans only near the top ({ db: false }); deeper they are details ({ exists: true }).
    if (typeof v === 'boolean' && depth > 1) continue
    const state = stateOf(v)
    if (state) out.push({ name, state, raw: String(v) })
  }
}

function addComponent(o: Record<string, unknown>, name: string, out: ComponentHealth[], depth: number): void {
  const s = statusOf(o)
  // No status of its own: maybe a group of components ({ "database": { "primary": "down" } }).
  if (!s) return collect(o, name, out, depth + 1)
  // A component may have sub-components (Spring composite indicators): when it fails, name the failing leaves.
  const subs: ComponentHealth[] = []
  for (const k of CONTAINER_KEYS) if (k in o && k !== 'error' && k !== 'info') collect(o[k], name, subs, depth + 1)
  const failingSubs = subs.filter((c) => c.state !== 'pass')
  if (s.state !== 'pass' && failingSubs.length) {
    out.push(...failingSubs)
    return
  }
  const output = s.state !== 'pass' ? outputOf(o) : undefined
  out.push({ name, state: s.state, raw: s.raw, ...(output ? { output } : {}) })
}

/** Parse a health body. Returns undefined when the body is not JSON or says nothing about health. */
export function readHealth(body: string): HealthReport | undefined {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    // Plain-text bodies: "OK", "healthy", "DOWN".
    const state = stateOf(body.trim().slice(0, 40))
    return state ? { overall: { state, raw: body.trim() }, components: [] } : undefined
  }
  if (Array.isArray(json)) {
    const components: ComponentHealth[] = []
    collect(json, '', components, 0)
    return components.length ? { components } : undefined
  }
  if (!isObject(json)) {
    const state = stateOf(json)
    return state ? { overall: { state, raw: String(json) }, components: [] } : undefined
  }
  const overall = statusOf(json)
  const components: ComponentHealth[] = []
  const containers = CONTAINER_KEYS.filter((k) => k in json)
  if (containers.length) {
    // Terminus repeats components in info/error/details: read `details` (all of them) when present.
    const keys = containers.includes('details') && (containers.includes('error') || containers.includes('info')) ? ['details'] : containers
    for (const k of keys) collect(json[k], '', components, 1)
  }
  // Top-level components next to the status: { status: "ok", database: "down", redis: { status: "up" } }
  collect(
    Object.fromEntries(Object.entries(json).filter(([k]) => !CONTAINER_KEYS.includes(k))),
    '',
    components,
    1,
  )
  // The same component can be reached twice (Terminus info + details): keep the first of each name.
  const seen = new Set<string>()
  const unique = components.filter((c) => !seen.has(c.name) && seen.add(c.name))
  if (!overall && unique.length === 0) return undefined
  return { ...(overall ? { overall } : {}), components: unique }
}
