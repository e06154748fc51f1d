/**
 * tls.expiry: is any certificate of the served chain expired, or expiring within `warningDays`
 * (critical within `criticalDays`)? The leaf usually, but an expired intermediate breaks clients too.
 */
import { defineCheck } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { certificateEvidence, certificateOrStop, targetEndpoint, describeRemaining, formatDate, sClient, shortName, tlsFacts, type CertInfo } from './handshake.js'

const DAY = 86_400_000

export default defineCheck({
  meta: {
    id: 'tls.expiry',
    title: 'Certificate validity dates',
    targets: ['tls', 'http', 'postgres', 'mysql', 'redis'],
    description:
      'Reads the certificate chain the server presents (tls targets, and http targets with an https URL) and reports tls.expired when a certificate is past its notAfter date, tls.expiring when one expires within `warningDays` (critical within `criticalDays`).',
    defaults: { warningDays: 20, criticalDays: 3 },
    timeoutMs: 30_000,
    findings: {
      'tls.expired': {
        title: 'certificate expired',
        fix: 'Renew the certificate and reload the server (certbot renew && systemctl reload nginx, or your platform\'s equivalent); then find out why automatic renewal did not run (cron/timer, DNS or HTTP challenge failing).',
      },
      'tls.expiring': {
        title: 'certificate expires soon',
        fix: 'Renew the certificate now and reload the server; check that automatic renewal (certbot timer, cert-manager, the load balancer\'s managed certificate) is enabled and succeeding.',
      },
    },
  },
  async run(ctx, { warningDays, criticalDays }) {
    const facts = await tlsFacts(ctx)
    const h = certificateOrStop(ctx, facts, 'tls.expiry')
    const now = ctx.now()
    const leaf = h.chain[0]
    const msLeft = (c: CertInfo) => c.validTo.getTime() - now
    ctx.observe('tls.daysLeft', Math.floor(msLeft(leaf) / DAY))
    ctx.observe('tls.validTo', leaf.validTo.toISOString())
    ctx.observe('tls.protocol', h.protocol ?? null)
    const role = (i: number) => (i === 0 ? 'certificate' : h.chain[i].selfSigned ? 'root' : 'intermediate')
    const line = (c: CertInfo, i: number, expected: string): Evidence => ({
      label: `${role(i)} ${shortName(c.subject)} not after`,
      observed: `${formatDate(c.validTo)} (${describeRemaining(msLeft(c))})`,
      expected,
    })
    const commands = [`${sClient(targetEndpoint(ctx, facts))} 2>/dev/null | openssl x509 -noout -subject -issuer -dates`]

    const expired = h.chain.map((c, i) => ({ c, i })).filter(({ c }) => msLeft(c) < 0)
    if (expired.length) {
      const { c, i } = expired[0]
      ctx.finding('tls.expired', {
        severity: 'critical',
        title: `${role(i)} ${shortName(c.subject)} expired on ${formatDate(c.validTo)} (${describeRemaining(msLeft(c)).replace(/^expired /, '')})`,
        evidence: [...expired.map(({ c, i }) => line(c, i, 'a date in the future')), ...certificateEvidence(h, now)],
        commands,
      })
      return
    }
    const soon = h.chain.map((c, i) => ({ c, i })).filter(({ c }) => msLeft(c) < warningDays * DAY)
    if (soon.length) {
      const { c, i } = soon.reduce((a, b) => (msLeft(b.c) < msLeft(a.c) ? b : a))
      ctx.finding('tls.expiring', {
        severity: msLeft(c) < criticalDays * DAY ? 'critical' : 'warning',
        title: `${role(i)} ${shortName(c.subject)} expires on ${formatDate(c.validTo)} (${describeRemaining(msLeft(c))})`,
        evidence: [...soon.map(({ c, i }) => line(c, i, `≥ ${warningDays} days left`)), ...certificateEvidence(h, now)],
        commands,
      })
      return
    }
    ctx.ok(line(leaf, 0, `≥ ${warningDays} days left`))
  },
})
