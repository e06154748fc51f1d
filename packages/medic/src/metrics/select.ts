/** Questions medic asks of a scrape: latency histogram, 5xx counters, pool gauges, error counters. */
import type { Bucket } from './quantile.js'
import type { Sample } from './parse.js'

/** Metric names as data: the first family present is used. */
export const LATENCY_HISTOGRAMS = ['http_request_duration_seconds', 'http_server_request_duration_seconds', 'http_server_requests_seconds', 'request_duration_seconds']
export const REQUEST_COUNTERS = ['http_requests_total', 'http_server_requests_total', 'http_requests', 'http_server_requests_seconds_count', 'http_request_duration_seconds_count']
const STATUS_LABELS = ['status', 'code', 'status_code', 'http_status', 'http_response_status_code', 'statusCode']

/** [in use, size] gauge pairs of common pool libraries. */
export const POOL_PAIRS: { inUse: string; size: string; waiting?: string }[] = [
  { inUse: 'db_pool_in_use', size: 'db_pool_size', waiting: 'db_pool_waiting' },
  { inUse: 'db_pool_used', size: 'db_pool_size', waiting: 'db_pool_waiting' },
  { inUse: 'db_pool_active', size: 'db_pool_max', waiting: 'db_pool_pending' },
  { inUse: 'hikaricp_connections_active', size: 'hikaricp_connections_max', waiting: 'hikaricp_connections_pending' },
  { inUse: 'sqlalchemy_pool_checked_out', size: 'sqlalchemy_pool_size' },
  { inUse: 'pg_pool_in_use', size: 'pg_pool_size', waiting: 'pg_pool_waiting' },
]

export const DEPENDENCY_ERROR_COUNTERS = [/^redis_connection_errors(_total)?$/, /_connection_errors_total$/, /^db_connection_errors(_total)?$/]

export function byName(samples: Sample[], name: string): Sample[] {
  return samples.filter((s) => s.name === name)
}

/** Sum the `_bucket` series of a histogram by `le` (all other labels aggregated away). */
export function latencyBuckets(samples: Sample[]): { metric: string; buckets: Bucket[] } | undefined {
  for (const metric of LATENCY_HISTOGRAMS) {
    const series = byName(samples, `${metric}_bucket`)
    if (series.length === 0) continue
    const sums = new Map<number, number>()
    for (const s of series) {
      const le = s.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.labels.le)
      if (Number.isNaN(le)) continue
      sums.set(le, (sums.get(le) ?? 0) + s.value)
    }
    return { metric, buckets: [...sums.entries()].map(([le, count]) => ({ le, count })) }
  }
  return undefined
}

/** Bucket counts of `now` minus `before` (observations made between two scrapes). */
export function bucketDelta(now: Bucket[], before: Bucket[]): Bucket[] {
  const prev = new Map(before.map((b) => [b.le, b.count]))
  // A counter reset (app restarted between scrapes) makes deltas negative: use `now` as is then.
  const delta = now.map((b) => ({ le: b.le, count: b.count - (prev.get(b.le) ?? 0) }))
  return delta.some((b) => b.count < 0) ? now : delta
}

export function statusOf(s: Sample): string | undefined {
  for (const l of STATUS_LABELS) if (s.labels[l] !== undefined) return s.labels[l]
  return undefined
}

/** Total requests and 5xx requests from the first request counter present. */
export function requestTotals(samples: Sample[]): { metric: string; total: number; server5xx: number } | undefined {
  for (const metric of REQUEST_COUNTERS) {
    const series = byName(samples, metric)
    if (series.length === 0) continue
    let total = 0
    let server5xx = 0
    for (const s of series) {
      total += s.value
      const st = statusOf(s)
      if (st && /^5\d\d$|^5xx$/i.test(st)) server5xx += s.value
    }
    return { metric, total, server5xx }
  }
  return undefined
}

export function poolUsage(samples: Sample[]): { inUse: number; size: number; waiting?: number; names: string }[] {
  const out: { inUse: number; size: number; waiting?: number; names: string }[] = []
  for (const p of POOL_PAIRS) {
    const used = byName(samples, p.inUse)
    const size = byName(samples, p.size)
    if (used.length === 0 || size.length === 0) continue
    const sum = (xs: Sample[]) => xs.reduce((a, s) => a + s.value, 0)
    const waiting = p.waiting ? byName(samples, p.waiting) : []
    out.push({ inUse: sum(used), size: sum(size), ...(waiting.length ? { waiting: sum(waiting) } : {}), names: `${p.inUse} / ${p.size}` })
  }
  return out
}

export function dependencyErrorCounters(samples: Sample[], extra: string[] = []): Map<string, number> {
  const out = new Map<string, number>()
  for (const s of samples) {
    if (extra.includes(s.name) || DEPENDENCY_ERROR_COUNTERS.some((re) => re.test(s.name))) {
      out.set(s.name, (out.get(s.name) ?? 0) + s.value)
    }
  }
  return out
}
