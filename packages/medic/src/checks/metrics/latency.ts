/** metrics.latency: p95 of http_request_duration_seconds from the histogram buckets. */
import { defineCheck } from '../../engine/check.js'
import { histogramQuantile } from '../../metrics/quantile.js'
import { bucketDelta, latencyBuckets } from '../../metrics/select.js'
import { jobMatcher, metricsOrSkip } from '../../metrics/source.js'

const ms = (seconds: number) => `${Math.round(seconds * 1000)} ms`

export default defineCheck({
  meta: {
    id: 'metrics.latency',
    title: 'Request latency (p95)',
    targets: ['metrics'],
    description:
      'Computes the 95th percentile of the HTTP request duration histogram the way PromQL histogram_quantile does: over the requests seen during the observation window when there were some, else over everything since the app started.',
    defaults: { windowMs: 500, quantile: 0.95, warningSeconds: 0.5, criticalSeconds: 2, range: '5m' },
    findings: {
      'metrics.latency-high': {
        title: 'Request latency is high',
        fix: 'Find the slow endpoints (latency by route), then their cause: slow queries, lock waits, a slow upstream, CPU saturation (`medic diagnose slow`).',
      },
    },
  },
  async run(ctx, o) {
    const data = await metricsOrSkip(ctx, o.windowMs)
    let p: number | undefined
    let basis: string
    if (data.mode === 'prometheus') {
      p = await data.scalar(`histogram_quantile(${o.quantile}, sum by (le) (rate(http_request_duration_seconds_bucket${jobMatcher(data.job)}[${o.range}])))`)
      basis = `PromQL over ${o.range}`
    } else {
      const now = latencyBuckets(data.second.samples)
      if (!now) return ctx.skip('no request duration histogram (http_request_duration_seconds_bucket) in the scrape')
      const before = latencyBuckets(data.first.samples)
      const delta = before ? bucketDelta(now.buckets, before.buckets) : now.buckets
      const inWindow = Math.max(0, ...delta.map((b) => b.count))
      const useWindow = inWindow >= 20
      p = histogramQuantile(o.quantile, useWindow ? delta : now.buckets)
      basis = useWindow ? `${inWindow} requests in the last ${Math.round(data.windowMs)} ms` : `${Math.max(...now.buckets.map((b) => b.count))} requests since start (${now.metric})`
    }
    if (p === undefined || Number.isNaN(p)) return ctx.skip('no requests recorded yet, so no latency to compute')
    const q = `p${Math.round(o.quantile * 100)}`
    ctx.observe('metrics.p95Ms', Math.round(p * 1000))
    const evidence = [{ label: q, observed: `${ms(p)} (${basis})`, expected: `< ${ms(o.warningSeconds)}` }]
    if (p > o.warningSeconds) {
      ctx.finding('metrics.latency-high', { severity: p > o.criticalSeconds ? 'critical' : 'warning', title: `${q} request latency is ${ms(p)}`, evidence })
    } else {
      ctx.ok(evidence[0])
    }
  },
})
