/**
 * http.latency: how long the health endpoints take, phase by phase (dns, connect, tls, time to first
 * byte, transfer), measured on a fresh connection like `curl -w`. The slowest phase says where to look:
 * DNS and connect are the network, tls the handshake, ttfb the application itself.
 */
import { defineCheck } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { curlTlsFlags, describeTimings, healthUrls, probeAll, shq, skipIfUnreachable, type ProbeResult, type Timings } from './probe.js'

const PHASES: { key: keyof Timings; name: string; hint: string }[] = [
  { key: 'dnsMs', name: 'DNS lookup', hint: 'the resolver is slow: check /etc/resolv.conf, or use an IP / a local cache' },
  { key: 'connectMs', name: 'TCP connect', hint: 'the network or the accept queue is slow: a far host, packet loss, or a listen backlog full under load' },
  { key: 'tlsMs', name: 'TLS handshake', hint: 'the handshake is slow: an overloaded TLS terminator, OCSP fetches, or a large chain' },
  { key: 'ttfbMs', name: 'time to first byte', hint: 'the application itself is slow to answer: its own dependencies (database, Redis, upstream APIs), a saturated worker pool or a blocked event loop' },
  { key: 'transferMs', name: 'body transfer', hint: 'the body is large or the link is slow' },
]

export default defineCheck({
  meta: {
    id: 'http.latency',
    title: 'HTTP response time',
    targets: ['http'],
    description:
      'Times each health path on a fresh connection and breaks the total down into dns, connect, tls, ttfb and transfer; reports http.slow above `warningMs` (critical above `criticalMs`) with the phase that took the time.',
    defaults: { warningMs: 500, criticalMs: 2000 },
    timeoutMs: 30_000,
    findings: {
      'http.slow': {
        title: 'HTTP endpoint is slow',
        fix: 'Look at the phase that took the time (see the evidence).',
      },
    },
  },
  async run(ctx, { warningMs, criticalMs }) {
    const probes = await probeAll(ctx, healthUrls(ctx.target))
    const answered = skipIfUnreachable(ctx, probes)
    const isHttps = new URL(answered[0].url).protocol === 'https:'
    const slowest = answered.reduce((a, b) => (b.timings.totalMs > a.timings.totalMs ? b : a))
    for (const [k, v] of Object.entries(slowest.timings)) ctx.observe(`http.${k}`, v)

    const slow = answered.filter((p) => p.timings.totalMs > warningMs)
    if (slow.length === 0) {
      for (const p of answered) ctx.ok({ label: `GET ${p.path}`, observed: describeTimings(p.timings, isHttps), expected: `total < ${warningMs} ms` })
      return
    }
    const worst = dominant(slowest.timings)
    const evidence: Evidence[] = slow.map((p) => ({ label: `GET ${p.path}`, observed: describeTimings(p.timings, isHttps), expected: `total < ${warningMs} ms` }))
    evidence.push({ label: 'most time in', observed: `${worst.name}: ${slowest.timings[worst.key]} of ${slowest.timings.totalMs} ms` })
    const tls = curlTlsFlags(ctx.target)
    ctx.finding('http.slow', {
      severity: slowest.timings.totalMs > criticalMs ? 'critical' : 'warning',
      title: `GET ${slowest.path} took ${slowest.timings.totalMs} ms (${worst.name} ${slowest.timings[worst.key]} ms)`,
      evidence,
      fix: `Most of the time is ${worst.name}: ${worst.hint}.`,
      commands: slow.map(
        (p: ProbeResult) =>
          `curl -sS -o /dev/null ${tls ? `${tls} ` : ''}-w 'dns %{time_namelookup}s connect %{time_connect}s tls %{time_appconnect}s ttfb %{time_starttransfer}s total %{time_total}s\\n' ${shq(p.url)}`,
      ),
    })
  },
})

function dominant(t: Timings) {
  return PHASES.reduce((a, b) => (t[b.key] > t[a.key] ? b : a))
}
