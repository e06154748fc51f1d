/** metrics.scrape: the metrics endpoint (or Prometheus API) answers; two scrapes a window apart. */
import { defineCheck } from '../../engine/check.js'
import { metricsData, MetricsUnreachable } from '../../metrics/source.js'

/** `curl -s [-u user] URL` with the password out of the URL: curl asks for it. */
function curl(url: string): string {
  try {
    const u = new URL(url)
    const user = decodeURIComponent(u.username)
    u.username = ''
    u.password = ''
    return `curl -s${user ? ` -u ${/^[\w.@-]+$/.test(user) ? user : `'${user.replace(/'/g, "'\\''")}'`}` : ''} ${/^[\w:/.%-]+$/.test(u.toString()) ? u.toString() : `'${u.toString()}'`}`
  } catch {
    return `curl -s '${url}'`
  }
}

export default defineCheck({
  meta: {
    id: 'metrics.scrape',
    title: 'Metrics endpoint answers',
    targets: ['metrics'],
    description: 'Scrapes the /metrics URL twice a short window apart (or asks the Prometheus-compatible query API) so the other metrics checks can compute rates; reports when it cannot.',
    defaults: { windowMs: 500 },
    findings: {
      'metrics.unreachable': {
        title: 'Metrics endpoint unreachable',
        fix: 'Check that the app exposes /metrics on this address (or that Prometheus answers), and that nothing in between blocks it.',
        commands: ['curl -s {url} | head'],
      },
    },
  },
  async run(ctx, { windowMs }) {
    const o = ctx.target.options as { url?: string; prometheus?: string }
    const url = o.prometheus ?? o.url ?? ''
    try {
      const data = await metricsData(ctx, windowMs)
      ctx.observe('metrics.reachable', true)
      if (data.mode === 'scrape') {
        ctx.observe('metrics.samples', data.second.samples.length)
        ctx.ok({ label: 'scraped', observed: `${data.second.samples.length} samples twice, ${Math.round(data.windowMs)} ms apart${data.second.badLines ? `, ${data.second.badLines} unreadable lines` : ''}` })
      } else {
        ctx.ok({ label: 'Prometheus API', observed: 'answers queries' })
      }
    } catch (err) {
      if (!(err instanceof MetricsUnreachable)) throw err
      ctx.observe('metrics.reachable', false)
      ctx.finding('metrics.unreachable', {
        severity: 'critical',
        ...(err.kind === 'not-metrics'
          ? {
              fix: 'Point url at the path the app\'s Prometheus client serves (often /metrics) and make sure that route reaches it: not a login redirect, an SPA fallback page or a proxy error page. Check that the exporter/instrumentation is enabled in this environment.',
            }
          : {}),
        title: err.kind === 'not-metrics' ? 'Metrics endpoint unreachable: it answers, but not with Prometheus metrics' : `Metrics endpoint unreachable: ${err.message}`,
        evidence: [{ label: err.kind === 'http' ? 'HTTP status' : err.kind === 'not-metrics' ? 'body' : 'failure', observed: err.message, expected: '200 with Prometheus text' }],
        commands: [o.prometheus ? curl(`${url.replace(/\/+$/, '')}/api/v1/query?query=up`) : `${curl(url)} | head`],
      })
    }
  },
})
