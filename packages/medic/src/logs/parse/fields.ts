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

/** Fill an event from a structured record. */
export function fromFields(o: Record<string, unknown>, ev: LogEvent): void {
  const [t] = first(o, TIME_KEYS, true)
  if (t !== undefined) ev.ts = timeValue(t)
  const [lv, lk] = first(o, LEVEL_KEYS, true)
  if (lv !== undefined) ev.level = levelValue(lv, lk)
  const [m] = first(o, MESSAGE_KEYS)
  ev.message = str(m)
  const [s] = first(o, SERVICE_KEYS, true)
  if (s !== undefined && typeof s !== 'object') ev.service = String(s)
  const [tr, tk] = first(o, TRACE_KEYS, true)
  if (tr !== undefined && typeof tr !== 'object') ev.traceId = tk === 'traceparent' ? traceFromParent(String(tr)) : String(tr)
  const [st] = first(o, STATUS_KEYS, true)
  if (st !== undefined) {
    const n = typeof st === 'number' ? st : parseInt(String(st), 10)
    if (n >= 100 && n < 600) ev.status = n
  }
  const [d, dk] = first(o, DURATION_KEYS)
  if (d !== undefined) ev.durationMs = durationMs(d, dk)
  // Stacks: a string field, or an error object carrying one.
  for (const k of STACK_KEYS) {
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
  const [et] = first(o, ERROR_TYPE_KEYS)
  if (typeof et === 'string' && !ev.stack) {
    const [em] = first(o, ERROR_MESSAGE_KEYS)
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
