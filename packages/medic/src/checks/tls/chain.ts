/**
 * tls.chain: would a client trust this certificate? Self-signed, unknown issuer (a private CA not
 * given with `ca:`), incomplete chain (the server forgot the intermediate), and the rarer verify
 * errors, each with what it means. Dates are tls.expiry's business; the host name tls.hostname's.
 */
import { defineCheck } from '../../engine/check.js'
import { certificateEvidence, certificateOrStop, formatDate, sClient, shortName, targetEndpoint, tlsFacts, type HandshakeResult } from './handshake.js'

/** OpenSSL verify codes (as Node names them): what each means, and what to do. Data. */
const CODES: Record<string, { title: (h: HandshakeResult) => string; fix: string }> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: {
    title: (h) => `self-signed certificate ${shortName(h.chain[0].subject)}: no client trusts it`,
    fix: 'Serve a certificate from a CA the clients trust (Let\'s Encrypt, your company CA). For an internal service with its own certificate, give clients that exact certificate or CA as trusted (medic: `ca: <file.pem>` on the target); do not disable verification.',
  },
  SELF_SIGNED_CERT_IN_CHAIN: {
    title: (h) => `the chain ends in root ${shortName(h.chain[h.chain.length - 1].subject)}, which is not trusted here`,
    fix: 'The root is a private CA: add it to the clients\' trust store (medic: `ca: <root.pem>`; Node: NODE_EXTRA_CA_CERTS; OS: update-ca-certificates), or serve a certificate from a public CA.',
  },
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: {
    title: (h) => `unknown issuer: ${shortName(h.chain[h.chain.length - 1].issuer)} is not a trusted CA here`,
    fix: 'Either the server leaves out part of the chain, or the CA is private: serve the full chain (leaf + intermediates, e.g. fullchain.pem), and for a private CA add its root to the clients\' trust store (medic: `ca: <root.pem>`).',
  },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: {
    // With the leaf alone, a missing intermediate and a private root look the same: say both.
    title: (h) => `the server sends only its own certificate and its issuer ${shortName(h.chain[0].issuer)} is not trusted here: incomplete chain (intermediate not sent) or a private CA`,
    fix: 'Configure the server with the full chain: the leaf followed by the intermediate certificate(s) (certbot: fullchain.pem, not cert.pem; nginx ssl_certificate, Node `cert:` with both PEMs). Browsers may hide this by caching intermediates; API clients, curl and Node fail. If the issuer is a private root instead, trust it with `ca:`.',
  },
  UNABLE_TO_GET_ISSUER_CERT: {
    title: (h) => `issuer certificate of ${shortName(h.chain[h.chain.length - 1].subject)} is missing`,
    fix: 'Serve the full chain (leaf + intermediates) and make sure the root is in the clients\' trust store.',
  },
  CERT_SIGNATURE_FAILURE: { title: () => 'a certificate signature in the chain does not verify', fix: 'The chain is assembled from the wrong files (an intermediate that did not sign the leaf): rebuild it from the CA\'s bundle.' },
  INVALID_CA: { title: () => 'a certificate used as an issuer is not a CA', fix: 'The chain contains a non-CA certificate as an intermediate: serve the CA\'s real intermediate certificate.' },
  INVALID_PURPOSE: { title: () => 'the certificate is not valid for TLS server authentication', fix: 'Reissue it with extendedKeyUsage serverAuth.' },
  CERT_REVOKED: { title: () => 'the certificate has been revoked', fix: 'Install a newly issued certificate.' },
  EE_KEY_TOO_SMALL: { title: () => 'the certificate key is too small for current clients', fix: 'Reissue with RSA 2048+ or ECDSA P-256.' },
  CA_MD_TOO_WEAK: { title: () => 'a certificate in the chain uses a weak signature hash (MD5/SHA-1)', fix: 'Reissue with SHA-256.' },
  CERT_NOT_YET_VALID: {
    title: (h) => `certificate ${shortName(h.chain[0].subject)} is not valid yet (from ${formatDate(h.chain[0].validFrom)})`,
    fix: 'Check the clock of the server that issued it and of this machine (timedatectl), or wait until the start date; a certificate dated in the future is refused by every client.',
  },
}
const GENERIC = { title: (h: HandshakeResult) => `certificate chain not trusted (${h.authorizationError})`, fix: 'Serve a complete chain from a CA the clients trust.' }
const TIME_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'])

/** OpenSSL reports only its last error; when that is a date, recover the trust problem from the chain's shape. */
function trustCode(h: HandshakeResult, now: number): string | undefined {
  if (h.authorized) return undefined
  const code = h.authorizationError ?? 'UNKNOWN'
  if (!TIME_CODES.has(code)) return code
  if (!h.anchored) {
    const last = h.chain[h.chain.length - 1]
    if (h.chain.length === 1 && last.selfSigned) return 'DEPTH_ZERO_SELF_SIGNED_CERT'
    if (last.selfSigned) return 'SELF_SIGNED_CERT_IN_CHAIN'
    return h.chain.length === 1 ? 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' : 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'
  }
  // Anchored in a trusted root: an expired certificate is tls.expiry's finding; not-yet-valid is ours.
  return h.chain.some((c) => c.validFrom.getTime() > now) ? 'CERT_NOT_YET_VALID' : undefined
}

export default defineCheck({
  meta: {
    id: 'tls.chain',
    title: 'Certificate chain is trusted',
    targets: ['tls', 'http', 'postgres', 'mysql', 'redis'],
    description:
      'Verifies the presented chain against the system roots plus the target\'s `ca` file and explains the verify error: self-signed, unknown issuer, incomplete chain (intermediate not sent), not yet valid, and the rarer ones.',
    defaults: {},
    timeoutMs: 30_000,
    findings: {
      'tls.untrusted-chain': {
        title: 'certificate chain not trusted',
        fix: 'Serve a complete chain from a CA the clients trust.',
      },
    },
  },
  async run(ctx) {
    const facts = await tlsFacts(ctx)
    const h = certificateOrStop(ctx, facts, 'tls.chain')
    const now = ctx.now()
    const code = trustCode(h, now)
    ctx.observe('tls.trusted', code === undefined)
    ctx.observe('tls.verifyError', code ?? null)
    ctx.observe('tls.chainLength', h.chain.length)
    ctx.observe('tls.selfSigned', h.chain.length === 1 && h.chain[0].selfSigned)
    const chainText = h.chain.map((c) => shortName(c.subject)).join(' ← ')
    if (!code) {
      ctx.ok({ label: 'chain', observed: `${chainText} (trusted${h.authorizationError ? `; ${h.authorizationError}: see tls.expiry` : ''})`, expected: 'ends in a trusted root' })
      return
    }
    const what = CODES[code] ?? GENERIC
    const ep = targetEndpoint(ctx, facts)
    ctx.finding('tls.untrusted-chain', {
      // A client that does not verify (insecure: true, sslmode=require) still connects: a risk, not an outage.
      severity: ep.verifies.chain ? 'critical' : 'warning',
      title: what.title(h),
      evidence: [
        { label: 'verify result', observed: code === h.authorizationError ? code : `${code} (OpenSSL's last error was ${h.authorizationError})`, expected: 'chain ends in a trusted root' },
        ...(ep.verifies.chain ? [] : [{ label: 'client verification', observed: ep.verifies.how }]),
        { label: 'certificates the client could place', observed: `${h.chain.length}: ${chainText}` },
        { label: 'trusted roots', observed: ep.ca ? `system roots + ${ep.ca.includes('-----BEGIN') ? 'the configured CA' : ep.ca}` : 'system roots (no `ca:` file on this target)' },
        ...certificateEvidence(h, now),
      ],
      fix: what.fix,
      commands: [`${sClient(ep, ' -showcerts')} 2>/dev/null | grep -E 's:|i:'`, `${sClient(ep)} 2>/dev/null | grep 'Verify return code'`],
    })
  },
})
