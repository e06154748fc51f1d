/** metrics.errors: 5xx responses per minute from the request counter. */
import { defineCheck } from '../../engine/check.js'
import { requestTotals } from '../../metrics/select.js'
import { jobMatcher, metricsOrSkip } from '../../metrics/source.js'

export default defineCheck({
  meta: {
    id: 'metrics.errors',
    title: '5xx rate',
    targets: ['metrics'],
    description:
      'Counts 5xx responses per minute from http_requests_total (status, code or status_code label) between the two scrapes, or with PromQL rate() over a range when a Prometheus API is configured.',
    defaults: { windowMs: 500, perMinute: 10, minEvents: 2, range: '5m' },
    findings: {
      'metrics.error-rate-high': {
        title: 'Many 5xx responses',
        fix: 'Look at which routes answer 5xx and why: `medic diagnose 500` correlates them with exceptions in the logs and failing dependencies.',
      },
    },
  },
  async run(ctx, o) {
    const data = await metricsOrSkip(ctx, o.windowMs)
    let perMinute: number
    let detail: string
    if (data.mode === 'prometheus') {
      const sel = jobMatcher(data.job, 'status=~"5..|5xx"')
      const v = (await data.scalar(`sum(rate(http_requests_total${sel}[${o.range}])) * 60`)) ?? 0
      perMinute = v
      detail = `PromQL rate over ${o.range}`
    } else {
      const now = requestTotals(data.second.samples)
      if (!now) return ctx.skip('no request counter (http_requests_total) in the scrape')
      const before = requestTotals(data.first.samples)
      const delta = Math.max(0, now.server5xx - (before?.server5xx ?? 0))
      const total = Math.max(0, now.total - (before?.total ?? 0))
      perMinute = (delta * 60_000) / data.windowMs
      detail = `${delta} of ${total} responses were 5xx in ${Math.round(data.windowMs)} ms; ${now.server5xx} of ${now.total} since start (${now.metric})`
      // One 5xx in a one-second window is not a storm: demand a few events before extrapolating.
      if (delta < o.minEvents) perMinute = Math.min(perMinute, o.perMinute)
    }
    ctx.observe('metrics.errors5xxPerMinute', Math.round(perMinute * 10) / 10)
    const evidence = [{ label: '5xx per minute', observed: `${perMinute.toFixed(1)} (${detail})`, expected: `≤ ${o.perMinute}` }]
    if (perMinute > o.perMinute) ctx.finding('metrics.error-rate-high', { severity: 'critical', title: `${Math.round(perMinute)} 5xx responses per minute`, evidence })
    else ctx.ok(evidence[0])
  },
})
