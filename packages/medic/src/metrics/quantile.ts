/**
 * histogram_quantile as PromQL computes it: find the bucket holding the q-th observation and
 * interpolate linearly inside it; the lowest bucket starts at 0; a quantile in the +Inf bucket
 * answers the highest finite bound.
 */

export interface Bucket {
  le: number
  count: number
}

export function histogramQuantile(q: number, input: Bucket[]): number {
  if (Number.isNaN(q)) return Number.NaN
  if (q < 0) return Number.NEGATIVE_INFINITY
  if (q > 1) return Number.POSITIVE_INFINITY
  // Merge equal bounds, sort, and force cumulative counts to be monotonic (as Prometheus does).
  const merged = new Map<number, number>()
  for (const b of input) merged.set(b.le, (merged.get(b.le) ?? 0) + b.count)
  const buckets = [...merged.entries()].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le)
  if (buckets.length < 2 || buckets[buckets.length - 1].le !== Number.POSITIVE_INFINITY) return Number.NaN
  for (let i = 1; i < buckets.length; i++) if (buckets[i].count < buckets[i - 1].count) buckets[i].count = buckets[i - 1].count
  const total = buckets[buckets.length - 1].count
  if (total === 0) return Number.NaN
  let rank = q * total
  let b = buckets.findIndex((x) => x.count >= rank)
  if (b === buckets.length - 1) return buckets[buckets.length - 2].le
  if (b === 0 && buckets[0].le <= 0) return buckets[0].le
  let start = 0
  const end = buckets[b].le
  let count = buckets[b].count
  if (b > 0) {
    start = buckets[b - 1].le
    count -= buckets[b - 1].count
    rank -= buckets[b - 1].count
  }
  if (count === 0) return end
  return start + (end - start) * (rank / count)
}
