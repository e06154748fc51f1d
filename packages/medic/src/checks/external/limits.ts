/**
 * external.limits: rate limits and quota. A 429 is either a rate limit (wait, it passes: warning)
 * or an exhausted quota / unpaid bill (`insufficient_quota`: nothing passes until someone pays:
 * critical); the error body tells them apart. A 2xx whose x-ratelimit-* headers show less than
 * `lowPct` % of a window left is a rate limit about to happen.
 */
import { defineCheck } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { contextEvidence, curlCommand, errorText, isQuotaError, rateEvidence, rateWindows, reachableProbe } from './probe.js'

export default defineCheck({
  meta: {
    id: 'external.limits',
    title: 'Third-party API rate limits and quota',
    targets: ['external'],
    description:
      'Reads the probe answer for HTTP 429 and the rate-limit headers (x-ratelimit-limit-* / x-ratelimit-remaining-* / x-ratelimit-reset-*, retry-after, ratelimit-*). A 429 or 402/403 whose error says insufficient_quota or billing is a quota problem (critical), any other 429 or a window under lowPct % left is rate limiting (warning).',
    defaults: { lowPct: 5 },
    findings: {
      'external.rate-limited': {
        title: 'The API is rate limiting this account',
        fix: 'Slow down: retry with exponential backoff and jitter honouring retry-after / x-ratelimit-reset-*, queue or batch calls, cache answers, or ask the provider for a higher limit.',
        commands: ['curl -sS -i https://api.openai.com/v1/models -H "Authorization: Bearer $OPENAI_API_KEY"'],
      },
      'external.quota-exceeded': {
        title: 'The API quota or credit is exhausted',
        fix: 'Add credit or raise the spending limit in the provider\'s billing settings (OpenAI: https://platform.openai.com/settings/organization/billing), or switch to a key of an account with quota; retrying will not help.',
        commands: ['curl -sS -i https://api.openai.com/v1/models -H "Authorization: Bearer $OPENAI_API_KEY"'],
      },
    },
  },
  async run(ctx, { lowPct }) {
    const probe = await reachableProbe(ctx)
    const s = probe.setup
    const r = probe.result
    const commands = [curlCommand(s)]
    const windows = rateWindows(r.headers)
    const headerEv = rateEvidence(r.headers, lowPct)
    const lowest = windows.length ? Math.min(...windows.map((w) => w.pct)) : null
    ctx.observe('external.ratelimit.minRemainingPct', lowest)
    const quota = isQuotaError(r.status, probe.error)
    ctx.observe('external.quotaExceeded', quota)
    ctx.observe('external.rateLimited', r.status === 429 && !quota)
    const statusEv: Evidence = { label: `GET ${s.displayUrl}`, observed: `HTTP ${r.status}`, expected: '2xx' }
    // Limits and quota belong to an account: without an accepted key there is nothing to read.
    if (!quota && r.status !== 429 && s.key === undefined && s.preset.requiresKey) {
      return ctx.skip(`preset ${s.presetId} needs a key and target ${ctx.target.id} has none: limits not determined`)
    }
    if (!quota && (r.status === 401 || r.status === 403)) {
      return ctx.skip(`the key was refused (HTTP ${r.status}, see external.auth): limits not determined`)
    }

    if (quota) {
      return ctx.finding('external.quota-exceeded', {
        severity: 'critical',
        title: `${s.preset.name} quota or credit exhausted (HTTP ${r.status}${probe.error?.code ? ` ${probe.error.code}` : ''})`,
        evidence: [statusEv, { label: 'provider error', observed: errorText(probe.error), expected: 'no quota or billing error' }, ...headerEv, ...contextEvidence(r.headers)],
        fix: `Every call fails until the account has quota again: add credit or raise the monthly limit in the billing settings${s.preset.dashboard ? ` (usage: ${s.preset.dashboard})` : ''}, or use a key of an account with quota. Retrying does not help.`,
        commands,
      })
    }
    if (r.status === 429) {
      return ctx.finding('external.rate-limited', {
        severity: 'warning',
        title: `${s.preset.name} is rate limiting (HTTP 429${probe.error?.code ? ` ${probe.error.code}` : ''})`,
        evidence: [
          { ...statusEv, observed: 'HTTP 429 Too Many Requests' },
          { label: 'provider error', observed: errorText(probe.error) },
          ...(headerEv.length ? headerEv : [{ label: 'rate-limit headers', observed: 'none in the answer' }]),
          ...contextEvidence(r.headers),
        ],
        commands,
      })
    }
    const low = windows.filter((w) => w.pct < lowPct)
    if (low.length) {
      return ctx.finding('external.rate-limited', {
        severity: 'warning',
        title: `${s.preset.name} rate limit nearly used up: ${low.map((w) => `${w.remaining} of ${w.limit} ${w.name || 'requests'}`).join(', ')} left`,
        evidence: [statusEv, ...headerEv],
        commands,
      })
    }
    if (headerEv.length) ctx.ok(...headerEv)
    else ctx.ok({ label: 'rate limits', observed: `HTTP ${r.status}, no 429 and no rate-limit headers in the answer` })
  },
})
