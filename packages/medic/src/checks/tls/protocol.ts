/**
 * tls.protocol: does the server still accept TLS 1.0 or 1.1? medic offers only those versions in a
 * second handshake (at OpenSSL security level 0, since this OpenSSL refuses them by default) and
 * reports the one the server accepts.
 */
import { defineCheck } from '../../engine/check.js'
import { certificateOrStop, targetEndpoint, sClient, tlsFacts } from './handshake.js'

export default defineCheck({
  meta: {
    id: 'tls.protocol',
    title: 'No legacy TLS versions',
    targets: ['tls', 'http', 'postgres', 'mysql', 'redis'],
    description:
      'Attempts a handshake offering only TLS 1.0 and 1.1; tls.legacy-protocol when the server accepts it. Also records the protocol and cipher a current client negotiates.',
    defaults: {},
    timeoutMs: 30_000,
    findings: {
      'tls.legacy-protocol': {
        title: 'legacy TLS version accepted',
        fix: 'Allow TLS 1.2 and 1.3 only: nginx `ssl_protocols TLSv1.2 TLSv1.3;`, Apache `SSLProtocol -all +TLSv1.2 +TLSv1.3`, Node `minVersion: \'TLSv1.2\'`, HAProxy `ssl-min-ver TLSv1.2`, or the load balancer\'s TLS policy. TLS 1.0/1.1 are deprecated (RFC 8996).',
      },
    },
  },
  async run(ctx) {
    const facts = await tlsFacts(ctx)
    certificateOrStop(ctx, facts, 'tls.protocol')
    const { modern, legacy } = facts
    ctx.observe('tls.protocol', modern.protocol ?? null)
    ctx.observe('tls.legacyAccepted', legacy.ok)
    const current = modern.ok ? `${modern.protocol}, ${modern.cipher}` : `none: ${modern.error?.message ?? 'handshake failed'} (the server only speaks legacy TLS)`
    if (!legacy.ok) {
      ctx.ok(
        { label: 'handshake offering only TLS 1.0/1.1', observed: `refused (${legacy.error?.code ?? legacy.error?.kind ?? 'failed'})`, expected: 'refused' },
        { label: 'negotiated by a current client', observed: current },
      )
      return
    }
    ctx.finding('tls.legacy-protocol', {
      severity: 'warning',
      title: `${facts.endpoint.label} still accepts ${legacy.protocol}`,
      evidence: [
        { label: 'handshake offering only TLS 1.0/1.1', observed: `accepted: ${legacy.protocol}, ${legacy.cipher}`, expected: 'refused (TLS 1.2 or newer only)' },
        { label: 'negotiated by a current client', observed: current },
      ],
      commands: [
        sClient(targetEndpoint(ctx, facts), ` -tls1_1 -cipher 'DEFAULT@SECLEVEL=0'`) + " 2>&1 | grep -E 'Protocol|Cipher|alert'",
        sClient(targetEndpoint(ctx, facts), ` -tls1 -cipher 'DEFAULT@SECLEVEL=0'`) + " 2>&1 | grep -E 'Protocol|Cipher|alert'",
      ],
    })
  },
})
