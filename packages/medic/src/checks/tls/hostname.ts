/**
 * tls.hostname: does the certificate cover the name clients connect to? Checked with Node's own
 * `tls.checkServerIdentity` (SANs, wildcards, IP addresses), the same rule HTTPS clients apply.
 */
import { checkServerIdentity } from 'node:tls'
import { defineCheck } from '../../engine/check.js'
import { certificateEvidence, certificateOrStop, sClient, shortName, targetEndpoint, tlsFacts } from './handshake.js'

export default defineCheck({
  meta: {
    id: 'tls.hostname',
    title: 'Certificate matches the host name',
    targets: ['tls', 'http', 'postgres', 'mysql', 'redis'],
    description:
      'Checks that the certificate presented covers the host name in the URL (or the tls target\'s `servername`, else `host`), with the rules clients use: subject alternative names, one-label wildcards, IP address entries.',
    defaults: {},
    timeoutMs: 30_000,
    findings: {
      'tls.hostname-mismatch': {
        title: 'certificate does not match the host name',
        fix: 'Serve a certificate whose subject alternative names include this host name (reissue it with the name added, or fix the SNI/virtual host so the right certificate is chosen); or connect with the name the certificate was issued for.',
      },
    },
  },
  async run(ctx) {
    const facts = await tlsFacts(ctx)
    const h = certificateOrStop(ctx, facts, 'tls.hostname')
    const ep = targetEndpoint(ctx, facts)
    const name = ep.servername
    const err = checkServerIdentity(name, h.peer)
    ctx.observe('tls.hostnameMatches', !err)
    const leaf = h.chain[0]
    if (!err) {
      ctx.ok({ label: 'host name', observed: `${name} is covered by ${leaf.subjectAltName || shortName(leaf.subject)}`, expected: 'covered by the certificate' })
      return
    }
    ctx.finding('tls.hostname-mismatch', {
      // A client that does not check the name (sslmode=require/verify-ca, insecure: true) still connects.
      severity: ep.verifies.hostname ? 'critical' : 'warning',
      title: `certificate ${shortName(leaf.subject)} does not cover ${name}`,
      evidence: [
        { label: 'host name', observed: name, expected: 'listed in the certificate\'s subject alternative names' },
        { label: 'certificate names', observed: leaf.subjectAltName || `no subject alternative names, only ${shortName(leaf.subject)} (clients ignore the CN when SANs are absent)` },
        ...(ep.verifies.hostname ? [] : [{ label: 'client verification', observed: ep.verifies.how }]),
        { label: 'client error', observed: `${err.message}${(err as NodeJS.ErrnoException).code ? ` (${(err as NodeJS.ErrnoException).code})` : ''}` },
        ...certificateEvidence(h, ctx.now()),
      ],
      commands: [`${sClient(ep)} 2>/dev/null | openssl x509 -noout -subject -ext subjectAltName`],
    })
  },
})
