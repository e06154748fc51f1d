/**
 * external.connect: can this host reach the third-party API at all? One GET of the preset's probe
 * path (OpenAI: /models); refused, DNS, TLS and timeouts are told apart, and a 5xx or a 404 on a
 * probe path that must exist (a wrong base URL) counts as the API being out of use too.
 */
import { defineCheck } from '../../engine/check.js'
import { maskUrl } from '../../engine/redact.js'
import { describeFailure } from './http-probe.js'
import { contextEvidence, curlCommand, errorText, getProbe } from './probe.js'

export default defineCheck({
  meta: {
    id: 'external.connect',
    title: 'Third-party API reachable',
    targets: ['external'],
    description:
      'Sends one cheap GET to the API (the preset probe, OpenAI: GET /v1/models) and reports when it cannot be reached: name not resolving, connection refused, TCP connect hanging, connected but silent, TLS failing, a 5xx answer, or a 404 on the probe path (wrong base URL).',
    defaults: {},
    findings: {
      'external.unreachable': {
        title: 'Third-party API unreachable',
        fix: 'Check outbound network access from this host (proxy, firewall, DNS) and the configured base URL; see the provider status page.',
        commands: ['curl -sS -i --max-time 10 https://api.openai.com/v1/models -H "Authorization: Bearer $OPENAI_API_KEY"'],
      },
    },
  },
  async run(ctx) {
    const probe = await getProbe(ctx)
    const s = probe.setup
    if (s.missing) ctx.skip(s.missing)
    const commands = [curlCommand(s)]
    if (probe.failure) {
      const d = describeFailure(probe.failure, s.preset.name)
      ctx.observe('external.reachable', false)
      ctx.observe('external.failure', probe.failure.kind)
      return ctx.finding('external.unreachable', {
        severity: 'critical',
        title: d.title,
        evidence: [{ label: `GET ${s.displayUrl}`, observed: d.observed, expected: 'an HTTP answer' }],
        fix: d.fix,
        commands,
      })
    }
    const r = probe.result!
    ctx.observe('external.httpStatus', r.status)
    ctx.observe('external.latencyMs', r.ms)
    if (r.status >= 500) {
      ctx.observe('external.reachable', false)
      return ctx.finding('external.unreachable', {
        severity: 'critical',
        title: `${s.preset.name} answers HTTP ${r.status}`,
        evidence: [
          { label: `GET ${s.displayUrl}`, observed: `HTTP ${r.status} in ${r.ms} ms`, expected: '2xx (or 401/403/429 from the provider itself)' },
          { label: 'error', observed: errorText(probe.error) },
          ...contextEvidence(r.headers),
        ],
        fix: `The provider (or a proxy/gateway in between) is failing: check its status page, retry with backoff, and fail over or degrade gracefully while it lasts.`,
        commands,
      })
    }
    if (r.status === 404 && s.explicitProbe) {
      ctx.observe('external.reachable', false)
      return ctx.finding('external.unreachable', {
        severity: 'critical',
        title: `${s.preset.name} answers 404 on the probe path: wrong base URL?`,
        evidence: [
          { label: `GET ${s.displayUrl}`, observed: `HTTP 404 in ${r.ms} ms: ${errorText(probe.error)}`, expected: 'the probe path to exist' },
        ],
        fix: `The base URL is probably wrong (a missing /v1, a proxy path); the app builds its request URLs from it, so they fail the same way. Fix url: (or probePath:) for target ${ctx.target.id}.`,
        commands,
      })
    }
    ctx.observe('external.reachable', true)
    const moved = r.status >= 300 && r.status < 400 && r.headers.location ? `, redirected to ${maskUrl(r.headers.location)} (the app's API calls are not redirected: use that URL)` : ''
    ctx.ok({ label: `GET ${s.displayUrl}`, observed: `HTTP ${r.status} in ${r.ms} ms${moved}`, expected: 'an HTTP answer' })
  },
})
