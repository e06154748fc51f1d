/**
 * external.auth: does the API accept the configured key? A 401/403 on the probe means the key is
 * invalid, revoked or expired (or lacks access); the evidence names the provider's error code and
 * the key's prefix and length only, and says when the key's shape explains the failure.
 */
import { defineCheck } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { describeKey, keyProblems } from './key.js'
import { contextEvidence, curlCommand, errorText, isAuthError, isQuotaError, reachableProbe } from './probe.js'

export default defineCheck({
  meta: {
    id: 'external.auth',
    title: 'Third-party API key accepted',
    targets: ['external'],
    description:
      'Reads the answer to the probe sent with the configured key: 401/403 (OpenAI `invalid_api_key` and friends) means the key is invalid, revoked or expired, or has no access. The key is shown by prefix and length only; whitespace, quotes or a doubled "Bearer " in it are pointed out.',
    defaults: {},
    findings: {
      'external.auth-failed': {
        title: 'The API rejects the configured key',
        fix: 'Create a new key in the provider dashboard, store it without quotes or whitespace, and restart the app so it reads it.',
        commands: ['curl -sS -i https://api.openai.com/v1/models -H "Authorization: Bearer $OPENAI_API_KEY"'],
      },
    },
  },
  async run(ctx) {
    const probe = await reachableProbe(ctx)
    const s = probe.setup
    const r = probe.result
    if (s.key === undefined) {
      return ctx.skip(
        s.preset.requiresKey
          ? `preset ${s.presetId} needs a key and target ${ctx.target.id} has none: set key: "\${${s.preset.keyVariable}}"`
          : `no key configured for target ${ctx.target.id}: nothing to authenticate`,
      )
    }
    const key = s.key
    const keyEv: Evidence = { label: 'key', observed: `${describeKey(key)}, sent as ${s.header.name}` }
    const shape = keyProblems(key)
    const shapeEv: Evidence[] = shape.length ? [{ label: 'key shape', observed: shape.join('; '), expected: 'the bare key, no whitespace, quotes or prefix' }] : []
    ctx.observe('external.key.malformed', shape.length > 0)
    const commands = [curlCommand(s)]

    if (probe.keyUnsendable) {
      ctx.observe('external.auth.ok', false)
      return ctx.finding('external.auth-failed', {
        severity: 'critical',
        title: `The ${s.preset.name} key cannot be sent: it contains a line break or control character`,
        evidence: [keyEv, ...shapeEv, { label: 'request', observed: `HTTP clients refuse a ${s.header.name} header with a line break`, expected: 'a header-safe key' }],
        fix: 'Remove the trailing newline / control characters from the stored key (echo -n, or trim when loading the variable) and restart the app.',
        commands,
      })
    }
    if (isAuthError(r.status, probe.error)) {
      ctx.observe('external.auth.ok', false)
      const revoked = /revoked|deactivated|disabled|expired/i.test(probe.error?.message ?? '')
      const forbidden = r.status === 403
      return ctx.finding('external.auth-failed', {
        severity: 'critical',
        title: forbidden
          ? `${s.preset.name} refuses the configured key access (HTTP 403)`
          : `${s.preset.name} rejects the configured key (HTTP 401${probe.error?.code ? ` ${probe.error.code}` : ''})`,
        evidence: [
          { label: `GET ${s.displayUrl}`, observed: `HTTP ${r.status}`, expected: '2xx with the configured key' },
          { label: 'provider error', observed: errorText(probe.error) },
          keyEv,
          ...shapeEv,
          ...contextEvidence(r.headers),
        ],
        fix: shape.length
          ? `The stored key is malformed (${shape.join('; ')}): store the bare key and restart the app. If it still fails, create a new key.`
          : forbidden
            ? 'The key is valid but not allowed here (project/organisation permissions, model access, region): check the key\'s permissions and project in the provider dashboard.'
            : revoked
              ? 'The key was revoked or has expired: create a new key, update the secret store, and restart the app.'
              : 'The key is invalid, revoked or expired (or belongs to another account/project): create a new key, update the secret store, and restart the app.',
        commands,
      })
    }
    ctx.observe('external.auth.ok', r.status < 400 || r.status === 429 || isQuotaError(r.status, probe.error))
    if (r.status < 300) {
      return ctx.ok(keyEv, { label: 'authentication', observed: `HTTP ${r.status}: key accepted`, expected: '2xx' }, ...shapeEv)
    }
    if ((r.status === 429 || isQuotaError(r.status, probe.error)) && s.presetId === 'openai') {
      // OpenAI rate limits and quotas are per organisation/project: a 429 means the key was recognised.
      return ctx.ok(keyEv, { label: 'authentication', observed: `HTTP ${r.status}: key recognised (limits are per account; see external.limits)` })
    }
    return ctx.skip(`the probe was answered HTTP ${r.status} (${errorText(probe.error)}): authentication not determined`)
  },
})
