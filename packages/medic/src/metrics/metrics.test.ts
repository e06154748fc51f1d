import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseExposition } from './parse.js'
import { histogramQuantile } from './quantile.js'

describe('exposition parser', () => {
  it('reads Prometheus text with types, labels, escapes, timestamps and special values', () => {
    const e = parseExposition(`# HELP http_requests_total Total requests.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{method="post",code="400"}    3 1395066363000
msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
metric_without_timestamp_and_labels 12.47
something_weird{problem="division by zero"} +Inf -3982045
# TYPE rpc_duration_seconds summary
rpc_duration_seconds{quantile="0.5"} 4773
`)
    expect(e.types.get('http_requests_total')).toBe('counter')
    expect(e.samples[0]).toEqual({ name: 'http_requests_total', labels: { method: 'post', code: '200' }, value: 1027 })
    expect(e.samples[2].labels).toEqual({ path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' })
    expect(e.samples[3]).toEqual({ name: 'metric_without_timestamp_and_labels', labels: {}, value: 12.47 })
    expect(e.samples[4].value).toBe(Number.POSITIVE_INFINITY)
    expect(e.badLines).toBe(0)
  })

  it('reads OpenMetrics (# EOF, exemplars) and counts lines it cannot read', () => {
    const e = parseExposition('# TYPE a counter\na_total 3 # {trace_id="abc"} 1.0\nbroken{x="1" 2\n# EOF\n')
    expect(e.samples).toEqual([{ name: 'a_total', labels: {}, value: 3 }])
    expect(e.badLines).toBe(1)
  })

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseExposition(s)), { numRuns: 500 })
  })
})

describe('histogram_quantile', () => {
  const b = (pairs: [number, number][]) => pairs.map(([le, count]) => ({ le, count }))

  it('interpolates inside the bucket like PromQL', () => {
    // 100 observations: 50 ≤ 0.1, 90 ≤ 0.5, 100 ≤ 1.
    const buckets = b([[0.1, 50], [0.5, 90], [1, 100], [Number.POSITIVE_INFINITY, 100]])
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.1)
    expect(histogramQuantile(0.95, buckets)).toBeCloseTo(0.5 + 0.5 * (5 / 10))
    expect(histogramQuantile(0.25, buckets)).toBeCloseTo(0.05) // first bucket starts at 0
  })

  it('answers the highest finite bound for the +Inf bucket, NaN without data, ±Inf out of range', () => {
    const buckets = b([[0.1, 1], [Number.POSITIVE_INFINITY, 10]])
    expect(histogramQuantile(0.99, buckets)).toBe(0.1)
    expect(histogramQuantile(0.5, b([[0.1, 0], [Number.POSITIVE_INFINITY, 0]]))).toBeNaN()
    expect(histogramQuantile(0.5, b([[0.1, 3]]))).toBeNaN() // no +Inf bucket
    expect(histogramQuantile(-1, buckets)).toBe(Number.NEGATIVE_INFINITY)
    expect(histogramQuantile(2, buckets)).toBe(Number.POSITIVE_INFINITY)
  })

  it('stays inside the bucket bounds for any monotonic histogram', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000), { minLength: 1, maxLength: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), (counts, q) => {
        let acc = 0
        const buckets = counts.map((c, i) => ({ le: (i + 1) * 0.1, count: (acc += c) }))
        buckets.push({ le: Number.POSITIVE_INFINITY, count: acc })
        const v = histogramQuantile(q, buckets)
        if (acc === 0) expect(v).toBeNaN()
        else {
          expect(v).toBeGreaterThanOrEqual(0)
          expect(v).toBeLessThanOrEqual(buckets[buckets.length - 2].le + 1e-9)
        }
      }),
      { numRuns: 300 },
    )
  })
})
