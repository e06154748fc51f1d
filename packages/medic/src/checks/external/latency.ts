/**
 * external.latency: how long the probe took, against `slowMs` (2 s: above it the app's own
 * timeouts start to fire and users notice). The time includes DNS, TCP and TLS setup, as an app's
 * first call after a cold start would.
 */
import { defineCheck } from '../../engine/check.js'
import { curlCommand, reachableProbe } from './probe.js'

export default defineCheck({
  meta: {
    id: 'external.latency',
    title: 'Third-party API latency',
    targets: ['external'],
    description: 'Times the probe request (DNS, connect, TLS, answer) and warns above slowMs.',
    defaults: { slowMs: 2000 },
    findings: {
      'external.slow': {
        title: 'The API answers slowly',
        fix: 'Check the provider status page and the network path (proxy, DNS); give calls a timeout above this latency, retry with backoff, and stream or cache where you can.',
        commands: ['curl -sS -o /dev/null -w "dns %{time_namelookup}s connect %{time_connect}s tls %{time_appconnect}s total %{time_total}s\\n" https://api.openai.com/v1/models'],
      },
    },
  },
  async run(ctx, { slowMs }) {
    const probe = await reachableProbe(ctx)
    const s = probe.setup
    const r = probe.result
    const ev = { label: `GET ${s.displayUrl}`, observed: `answered in ${r.ms} ms (HTTP ${r.status}, including DNS, TCP and TLS setup)`, expected: `< ${slowMs} ms` }
    ctx.observe('external.latencyMs', r.ms)
    if (r.ms > slowMs) {
      return ctx.finding('external.slow', {
        severity: 'warning',
        title: `${s.preset.name} took ${(r.ms / 1000).toFixed(1)} s to answer`,
        evidence: [ev],
        commands: [
          `curl -sS -o /dev/null -w "dns %{time_namelookup}s connect %{time_connect}s tls %{time_appconnect}s first byte %{time_starttransfer}s total %{time_total}s\\n" "${s.displayUrl}" -H "${s.header.name}: ${s.header.template.replace('{key}', `$${s.preset.keyVariable}`)}"`,
          curlCommand(s),
        ],
      })
    }
    ctx.ok(ev)
  },
})
