/**
 * http.health: do the health/readiness endpoints say the service is healthy? A non-2xx answer is
 * http.status; a body that names a failing component (database down, Redis unreachable) is
 * http.component-unhealthy with the component's own error, whatever the framework's body shape.
 */
import { defineCheck } from '../../engine/check.js'
import { Redactor } from '../../engine/redact.js'
import type { Evidence } from '../../engine/types.js'
import { readHealth, type ComponentHealth, type HealthReport } from './health-body.js'
import { curlTlsFlags, healthUrls, probeAll, shq, skipIfUnreachable, type ProbeResult } from './probe.js'

const redactor = new Redactor()
/** Text from the service may carry a DSN or a token: mask it and keep it short. */
export function clip(text: string, max = 240): string {
  const one = redactor.redact(text.replace(/\s+/g, ' ').trim())
  return one.length > max ? `${one.slice(0, max - 1)}…` : one
}

function statusLine(p: ProbeResult): string {
  return `HTTP ${p.status}${p.statusText ? ` ${p.statusText}` : ''}`
}

function describe(c: ComponentHealth): string {
  return `${c.raw}${c.output ? `: ${clip(c.output)}` : ''}`
}

export default defineCheck({
  meta: {
    id: 'http.health',
    title: 'Health endpoints report healthy',
    targets: ['http'],
    description:
      'Reads each health path (default /health): a non-2xx answer is http.status; a body that reports a failing component is http.component-unhealthy. Understands application/health+json (status pass/warn/fail and checks), Spring Boot Actuator, NestJS Terminus, ASP.NET Core and flat shapes such as {"status":"ok","database":"down"}.',
    defaults: {},
    timeoutMs: 30_000,
    findings: {
      'http.status': {
        title: 'health endpoint answers an error status',
        fix: 'The service says it is not ready: read the body and the service logs for the failing dependency, and fix that dependency (the other findings for this run usually name it).',
      },
      'http.component-unhealthy': {
        title: 'health endpoint reports a failing component',
        fix: 'Fix the component named in the evidence (its own error says why): run `medic check` on that dependency (postgres, redis, qdrant, external) for the details, then restart or reconnect the service if it does not recover by itself.',
      },
    },
  },
  async run(ctx) {
    const probes = await probeAll(ctx, healthUrls(ctx.target))
    const answered = skipIfUnreachable(ctx, probes)
    const tls = curlTlsFlags(ctx.target)
    const curl = (p: ProbeResult) => `curl -sS -i --max-time 5 ${tls ? `${tls} ` : ''}${shq(p.url)}`
    let healthy = true
    const failing: { p: ProbeResult; c: ComponentHealth }[] = []
    const overallOnly: { p: ProbeResult; report: HealthReport }[] = []

    answered.forEach((p, i) => {
      const status = p.status ?? 0
      ctx.observe(`http.status[${p.path}]`, status)
      if (i === 0) ctx.observe('http.status', status)
      const report = p.body ? readHealth(p.body) : undefined
      const bad = report?.components.filter((c) => c.state !== 'pass') ?? []
      failing.push(...bad.map((c) => ({ p, c })))
      if (report?.overall && report.overall.state !== 'pass' && bad.length === 0) overallOnly.push({ p, report })

      const ok = status >= 200 && status < 300
      if (!ok) {
        healthy = false
        const evidence: Evidence[] = [{ label: `GET ${p.path}`, observed: statusLine(p), expected: '2xx' }]
        const location = p.headers?.location
        if (status >= 300 && status < 400 && location) evidence.push({ label: 'redirects to', observed: clip(String(location)) })
        if (bad.length) evidence.push({ label: 'failing components', observed: bad.map((c) => `${c.name} ${describe(c)}`).join('; ') })
        else if (p.body?.trim()) evidence.push({ label: 'body', observed: clip(p.body) })
        const notFound = status === 404
        ctx.finding('http.status', {
          // A missing health route is a set-up problem, not an outage.
          severity: notFound ? 'warning' : 'critical',
          title: notFound ? `no health endpoint at ${p.path} (404)` : `GET ${p.path} answers ${status}`,
          evidence,
          ...(notFound
            ? { fix: `The service has no ${p.path} route: set \`health:\` on this target to its real health paths, or add one (the medic SDK serves /health and /ready).` }
            : status >= 300 && status < 400
              ? { fix: 'The health path redirects: point `health:`/`url:` at the final address (https, trailing slash) so probes and load balancers get a 2xx directly.' }
              : {}),
          commands: [curl(p)],
        })
      } else {
        ctx.ok({ label: `GET ${p.path}`, observed: statusLine(p), expected: '2xx' })
      }
    })

    if (failing.length || overallOnly.length) {
      healthy = false
      const evidence: Evidence[] = failing.map(({ p, c }) => ({
        label: answered.length > 1 ? `${c.name} (GET ${p.path})` : c.name,
        observed: describe(c),
        expected: 'pass / up / healthy',
      }))
      for (const { p, report } of overallOnly) {
        evidence.push({ label: `overall status (GET ${p.path})`, observed: `${report.overall!.raw} (the body names no failing component)`, expected: 'pass / up / healthy' })
      }
      const severity = failing.some(({ c }) => c.state === 'fail') || overallOnly.some(({ report }) => report.overall!.state === 'fail') ? 'critical' : 'warning'
      const names = [...new Set(failing.map(({ c }) => c.name))]
      const first = failing[0]?.c
      ctx.finding('http.component-unhealthy', {
        severity,
        title: names.length
          ? `${names.join(', ')} ${names.length > 1 ? 'report' : 'reports'} ${first!.raw}${first!.output && names.length === 1 ? `: ${clip(first!.output, 80)}` : ''}`
          : `health endpoint reports ${overallOnly[0].report.overall!.raw}`,
        evidence,
        commands: [...new Set([...failing.map(({ p }) => p), ...overallOnly.map(({ p }) => p)].map(curl))],
      })
    }
    ctx.observe('http.healthy', healthy)
    ctx.observe('http.components.failing', [...new Set(failing.map(({ c }) => c.name))].join(', '))
  },
})
