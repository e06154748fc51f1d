/**
 * http.exposure: does a JSON answer (the base URL and the health paths) carry fields that must never
 * leave the server, such as password hashes, secrets, tokens or API keys? Evidence lists the JSON paths,
 * never the values.
 */
import { defineCheck } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { allUrls, curlTlsFlags, probeAll, shq, skipIfUnreachable } from './probe.js'
import { findSensitiveFields } from './sensitive.js'

const MAX_PATHS = 10

export default defineCheck({
  meta: {
    id: 'http.exposure',
    title: 'No secrets in JSON responses',
    targets: ['http'],
    description:
      'Parses the JSON answers of the base URL and the health paths and reports fields named like credentials (password, passwordHash, secret, token, apiKey, privateKey...) that carry a value, at any depth. Evidence gives JSON paths only.',
    defaults: {},
    timeoutMs: 30_000,
    findings: {
      'http.sensitive-fields': {
        title: 'JSON response exposes sensitive fields',
        fix: 'Serialise responses through an explicit output schema (a DTO / response model / `toJSON`) that leaves out credentials, and never return config or environment objects from health or debug routes. Rotate any secret that was exposed.',
      },
    },
  },
  async run(ctx) {
    const probes = await probeAll(ctx, allUrls(ctx.target))
    const answered = skipIfUnreachable(ctx, probes)
    const evidence: Evidence[] = []
    let total = 0
    let jsonSeen = 0
    const exposing: string[] = []
    for (const p of answered) {
      let json: unknown
      try {
        json = JSON.parse(p.body ?? '')
      } catch {
        continue
      }
      jsonSeen++
      const hits = findSensitiveFields(json)
      if (!hits.length) continue
      total += hits.length
      exposing.push(p.url)
      const shown = hits.slice(0, MAX_PATHS).map((h) => (h.count > 1 ? `${h.path} (${h.count} values)` : h.path))
      evidence.push({
        label: `GET ${p.path} (HTTP ${p.status})`,
        observed: `${hits.length} sensitive field${hits.length > 1 ? 's' : ''}: ${shown.join(', ')}${hits.length > MAX_PATHS ? `, … ${hits.length - MAX_PATHS} more` : ''}`,
        expected: 'no credential fields in responses',
      })
    }
    ctx.observe('http.sensitiveFields', total)
    if (total === 0) {
      ctx.ok({ label: 'JSON responses', observed: `${jsonSeen} of ${answered.length} answers were JSON, none carries a credential field`, expected: 'no credential fields' })
      return
    }
    const tls = curlTlsFlags(ctx.target)
    ctx.finding('http.sensitive-fields', {
      severity: 'warning',
      title: `${total} sensitive field${total > 1 ? 's' : ''} exposed in JSON responses`,
      evidence,
      // jq prints the keys only, so confirming by hand does not put the secrets on screen either.
      commands: exposing.map((u) => `curl -sS ${tls ? `${tls} ` : ''}${shq(u)} | jq '[paths(scalars)] | map(map(tostring) | join(".")) | .[]'`),
    })
  },
})
