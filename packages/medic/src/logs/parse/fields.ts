/**
 * Structured records (JSON lines, logfmt, journald): which field holds what. The names cover pino,
 * bunyan, winston, structlog, python-json-logger, ECS, OpenTelemetry, journald and docker's
 * json-file driver. Keys with dots are tried flat (`"log.level"`) and nested (`{log:{level}}`).
 */
import type { LogEvent } from '../types.js'
import { levelValue } from './level.js'
import { timeValue } from './time.js'

export const TIME_KEYS = ['time', 'timestamp', '@timestamp', 'ts', 'asctime', 'datetime', 'date', 't', 'Timestamp', 'timeUnixNano', 'time_unix_nano', '__REALTIME_TIMESTAMP', 'created', 'eventTime']
export const LEVEL_KEYS = ['level', 'levelname', 'severity', 'log.level', 'lvl', 'loglevel', 'log_level', 'SeverityText', 'severity_text', 'severityText', 'SeverityNumber', 'severity_number', 'PRIORITY', 'levelno']
export const MESSAGE_KEYS = ['msg', 'message', 'event', '@message', 'Body', 'body', 'MESSAGE', 'log', 'text']
export const SERVICE_KEYS = ['service', 'service.name', 'resource.service.name', 'Resource.service.name', 'serviceName', 'app', 'application', 'name', 'SYSLOG_IDENTIFIER', '_SYSTEMD_UNIT', 'component', 'logger', 'logger_name', 'container_name']
export const TRACE_KEYS = ['trace_id', 'traceId', 'trace.id', 'TraceId', 'traceID', 'request_id', 'requestId', 'req_id', 'reqId', 'req.id', 'correlationId', 'correlation_id', 'x-correlation-id', 'x_correlation_id', 'x-request-id', 'traceparent', 'http.request.id', 'dd.trace_id']
export const STATUS_KEYS = ['status', 'statusCode', 'status_code', 'res.statusCode', 'http.response.status_code', 'http.status_code', 'response.status', 'http_status']
export const DURATION_KEYS = ['responseTime', 'response_time', 'duration_ms', 'durationMs', 'elapsed_ms', 'latency_ms', 'duration', 'elapsed', 'latency', 'took', 'event.duration', 'request_time']
export const STACK_KEYS = ['err.stack', 'error.stack', 'error.stack_trace', 'exc_info', 'exception', 'stack', 'stack_trace', 'stacktrace', 'exc_text', 'err', 'error', 'exception.stacktrace']
export const ERROR_TYPE_KEYS = ['err.type', 'error.type', 'exc_type', 'error.kind', 'exception.type', 'err.name', 'error.name']
export const ERROR_MESSAGE_KEYS = ['err.message', 'error.message', 'exception.message']

const PATHS = new Map<string, string[]>()
function pathOf(key: string): string[] {
  let p = PATHS.get(key)
  if (!p) PATHS.set(key, (p = key.split('.')))
  return p
}

/** Value at `key`: flat first, then by path. */
export function get(o: Record<string, unknown>, key: string): unknown {
  const v = o[key]
  if (v !== undefined) return v
  if (key.indexOf('.') < 0) return undefined
  const path = pathOf(key)
  let cur: unknown = o[path[0]]
  for (let i = 1; i < path.length; i++) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string, unknown>)[path[i]]
  }
  return cur
}

function first(o: Record<string, unknown>, keys: string[], scalar = false): [unknown, string] {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]
    const v = get(o, k)
    if (v !== undefined && v !== null && v !== '' && !(scalar && typeof v === 'object')) return [v, k]
  }
  return [undefined, '']
}

/** W3C traceparent `00-<trace id>-<span id>-<flags>`: the trace id. */
export function traceFromParent(v: string): string {
  const m = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(v)
  return m ? m[1] : v
}

function str(v: unknown): string {
  if (typeof v === 'string') return v
  if (v === undefined || v === null) return ''
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

/** The keys of each list a record of one shape (its own key names, in order) can hold. */
interface KeyPlan {
  own: string[]
  time: string[]
  level: string[]
  message: string[]
  service: string[]
  trace: string[]
  status: string[]
  duration: string[]
  stack: string[]
  errorType: string[]
  errorMessage: string[]
}
const PLANS = new Map<string, KeyPlan>()
const FULL_PLAN: KeyPlan = { own: [], time: TIME_KEYS, level: LEVEL_KEYS, message: MESSAGE_KEYS, service: SERVICE_KEYS, trace: TRACE_KEYS, status: STATUS_KEYS, duration: DURATION_KEYS, stack: STACK_KEYS, errorType: ERROR_TYPE_KEYS, errorMessage: ERROR_MESSAGE_KEYS }
// No key name we look for is inherited from Object.prototype, so a key the record does not own
// (flat, or by its first path segment) reads as undefined and can be left out of the search.
for (const list of [TIME_KEYS, LEVEL_KEYS, MESSAGE_KEYS, SERVICE_KEYS, TRACE_KEYS, STATUS_KEYS, DURATION_KEYS, STACK_KEYS, ERROR_TYPE_KEYS, ERROR_MESSAGE_KEYS]) for (const k of list) if (pathOf(k)[0] in Object.prototype) throw new Error(`field key ${k} is inherited`)

/**
 * Records of one logger share their shape: the ~90 key lookups of fromFields are narrowed once per
 * shape to the keys it holds (most lookups miss, and a miss on a JSON.parse object is not cheap).
 */
function planOf(o: Record<string, unknown>): KeyPlan {
  const own = Object.keys(o)
  if (own.length > 64) return FULL_PLAN
  // a logger writes a few shapes over and over: the last ones compare key by key (property names
  // are the same strings each time, so each comparison is one check) before any join and lookup
  for (let i = 0; i < recent.length; i++) if (sameKeys(recent[i].own, own)) return recent[i]
  const plan = planOfShape(own)
  recent.unshift(plan)
  if (recent.length > RECENT_PLANS) recent.pop()
  return plan
}
const RECENT_PLANS = 4
const recent: KeyPlan[] = []

function planOfShape(own: string[]): KeyPlan {
  const shape = own.join('\u0000')
  let plan = PLANS.get(shape)
  // the joined names identify the shape unless a name holds the separator: compare them to be sure
  if (plan && sameKeys(plan.own, own)) return plan
  const has = new Set(own)
  const keep = (list: string[]) => list.filter((k) => has.has(k) || (k.indexOf('.') >= 0 && has.has(pathOf(k)[0])))
  plan = { own, time: keep(TIME_KEYS), level: keep(LEVEL_KEYS), message: keep(MESSAGE_KEYS), service: keep(SERVICE_KEYS), trace: keep(TRACE_KEYS), status: keep(STATUS_KEYS), duration: keep(DURATION_KEYS), stack: keep(STACK_KEYS), errorType: keep(ERROR_TYPE_KEYS), errorMessage: keep(ERROR_MESSAGE_KEYS) }
  if (PLANS.size >= 512) PLANS.clear()
  PLANS.set(shape, plan)
  return plan
}

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Fill an event from a structured record. */
export function fromFields(o: Record<string, unknown>, ev: LogEvent): void {
  const plan = planOf(o)
  const [t] = first(o, plan.time, true)
  if (t !== undefined) ev.ts = timeValue(t)
  const [lv, lk] = first(o, plan.level, true)
  if (lv !== undefined) ev.level = levelValue(lv, lk)
  const [m] = first(o, plan.message)
  ev.message = str(m)
  const [s] = first(o, plan.service, true)
  if (s !== undefined && typeof s !== 'object') ev.service = String(s)
  const [tr, tk] = first(o, plan.trace, true)
  if (tr !== undefined && typeof tr !== 'object') ev.traceId = tk === 'traceparent' ? traceFromParent(String(tr)) : String(tr)
  const [st] = first(o, plan.status, true)
  if (st !== undefined) {
    const n = typeof st === 'number' ? st : parseInt(String(st), 10)
    if (n >= 100 && n < 600) ev.status = n
  }
  const [d, dk] = first(o, plan.duration)
  if (d !== undefined) ev.durationMs = durationMs(d, dk)
  // Stacks: a string field, or an error object carrying one.
  for (const k of plan.stack) {
    const v = get(o, k)
    if (typeof v === 'string' && v.length > 0 && (v.includes('\n') || /Error|Exception|Traceback/.test(v))) {
      ev.stack = v
      break
    }
    if (v && typeof v === 'object' && typeof (v as { stack?: unknown }).stack === 'string') {
      ev.stack = (v as { stack: string }).stack
      break
    }
  }
  const [et] = first(o, plan.errorType)
  if (typeof et === 'string' && !ev.stack) {
    const [em] = first(o, plan.errorMessage)
    ev.stack = `${et}: ${str(em)}`
  }
  if (!ev.message && ev.stack) ev.message = ev.stack.split('\n', 1)[0]
}

/** A duration field in ms: numbers by key convention (ECS event.duration is ns), text with a unit. */
export function durationMs(v: unknown, key: string): number {
  if (typeof v === 'number') {
    if (key === 'event.duration') return v / 1e6
    if (key === 'request_time' || key === 'elapsed' || key === 'took') return v < 100 && !Number.isInteger(v) ? v * 1000 : v
    return v
  }
  if (typeof v === 'string') return parseDuration(v)
  return NaN
}

const RE_DUR = /^([\d.]+)\s*(ns|µs|us|ms|s|m|h)?$/
/** `12ms`, `1.5s`, `250` (ms) → ms. */
export function parseDuration(s: string): number {
  const m = RE_DUR.exec(s.trim())
  if (!m) return NaN
  const n = parseFloat(m[1])
  switch (m[2]) {
    case 'ns':
      return n / 1e6
    case 'µs':
    case 'us':
      return n / 1000
    case 's':
      return n * 1000
    case 'm':
      return n * 60_000
    case 'h':
      return n * 3_600_000
    default:
      return n
  }
}
