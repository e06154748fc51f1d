/**
 * The TLS facts of one endpoint, gathered once per run and shared by the tls.* checks: one handshake
 * with the client's usual settings (TLS 1.2+) that accepts any certificate so it can read it, with
 * trust judged apart (`authorized`/`authorizationError` against the system roots plus the target's
 * `ca`, host name with `tls.checkServerIdentity`), and one handshake that offers only TLS 1.0/1.1 at
 * OpenSSL security level 0 to learn whether the server still accepts a legacy protocol.
 */
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import tls, { type DetailedPeerCertificate, type PeerCertificate } from 'node:tls'
import type { CheckContext } from '../../engine/check.js'
import type { Target } from '../../engine/types.js'

export interface Endpoint {
  host: string
  port: number
  /** SNI and the name the certificate must match. */
  servername: string
  /** Path of extra trusted CA certificates. */
  ca?: string
  /** `host:port`, for people. */
  label: string
  /** Which check reports a dead endpoint for this target kind. */
  reportedBy: string
}

export interface CertInfo {
  subject: string
  issuer: string
  /** `DNS:a.example, IP Address:127.0.0.1` as OpenSSL prints it; '' when none. */
  subjectAltName: string
  validFrom: Date
  validTo: Date
  selfSigned: boolean
  isCa: boolean
  fingerprint256: string
}

export type HandshakeErrorKind = 'refused' | 'dns' | 'timeout' | 'network' | 'protocol' | 'handshake' | 'config'

export interface HandshakeResult {
  ok: boolean
  error?: { kind: HandshakeErrorKind; code?: string; message: string }
  protocol?: string
  cipher?: string
  /** Chain verified against the trusted roots (dates included, host name not). */
  authorized?: boolean
  /** OpenSSL's verify code when not authorized: DEPTH_ZERO_SELF_SIGNED_CERT, UNABLE_TO_VERIFY_LEAF_SIGNATURE... */
  authorizationError?: string
  /** Leaf first, then each issuer the client could find (sent by the server or a trusted root). */
  chain: CertInfo[]
  /** The leaf as Node gives it, for `tls.checkServerIdentity`. */
  peer?: PeerCertificate
  /**
   * The chain ends in a self-signed certificate that is one of the trusted roots. Judged apart from
   * `authorizationError` because OpenSSL keeps only its last verify error: an expired self-signed
   * certificate reports CERT_HAS_EXPIRED, hiding that nothing trusts it.
   */
  anchored?: boolean
}

export interface TlsFacts {
  endpoint: Endpoint
  /** The handshake with the client's usual settings. */
  modern: HandshakeResult
  /** The handshake offering TLS 1.0/1.1 only. */
  legacy: HandshakeResult
  /** Whichever handshake got a certificate (modern first). */
  cert?: HandshakeResult
}

/** The TLS endpoint of a target: a `tls` target, or an `http` target whose URL is https. */
export function endpointOf(target: Target): Endpoint | undefined {
  const o = target.options
  if (target.kind === 'tls') {
    const host = String(o.host)
    const port = Number(o.port ?? 443)
    return { host, port, servername: String(o.servername ?? host), ca: o.ca as string | undefined, label: `${host}:${port}`, reportedBy: 'tls.expiry' }
  }
  if (target.kind === 'http') {
    const u = new URL(String(o.url))
    if (u.protocol !== 'https:') return undefined
    const host = u.hostname.replace(/^\[|\]$/g, '')
    const port = Number(u.port || 443)
    return { host, port, servername: host, ca: o.ca as string | undefined, label: `${u.hostname}:${port}`, reportedBy: 'http.reachable' }
  }
  return undefined
}

/** OpenSSL's error lines (`...:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:../deps/...`) down to the reason. */
export function sslReason(message: string): string {
  const m = /SSL routines:[^:]*:([^:]+):/.exec(message)
  return m ? m[1] : message.trim()
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL'])

function classify(err: NodeJS.ErrnoException, connected: boolean): HandshakeErrorKind {
  const code = err.code ?? ''
  if (code === 'ECONNREFUSED') return 'refused'
  if (DNS_CODES.has(code)) return 'dns'
  if (code === 'ETIMEDOUT') return 'timeout'
  if (['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'].includes(code)) return 'network'
  if (/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS|VERSION_TOO_LOW|NO_SHARED_CIPHER|HANDSHAKE_FAILURE|NO_CIPHERS|WRONG_VERSION|NO_SUITABLE/i.test(code + ' ' + err.message)) return 'protocol'
  return connected ? 'handshake' : 'network'
}

function dn(value: unknown): string {
  // X509Certificate prints one attribute per line.
  return String(value ?? '').split('\n').filter(Boolean).join(', ')
}

function certInfo(raw: Buffer): CertInfo {
  const x = new X509Certificate(raw)
  return {
    subject: dn(x.subject),
    issuer: dn(x.issuer),
    subjectAltName: x.subjectAltName ?? '',
    validFrom: new Date(x.validFrom),
    validTo: new Date(x.validTo),
    // Not checkIssued: it also wants keyCertSign, which a self-signed server certificate lacks.
    selfSigned: x.subject === x.issuer && x.verify(x.publicKey),
    isCa: x.ca,
    fingerprint256: x.fingerprint256,
  }
}

/** Walk Node's issuer links (they loop on a self-signed root). */
function chainOf(peer: DetailedPeerCertificate): CertInfo[] {
  const out: CertInfo[] = []
  const seen = new Set<string>()
  for (let c: DetailedPeerCertificate | undefined = peer; c && c.raw && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256)
    out.push(certInfo(c.raw))
  }
  return out
}

const contexts = new Map<string, tls.SecureContext>()

/**
 * A secure context per (CA, legacy) pair, made once: building one with ~140 system roots plus a CA
 * costs about 100 ms, too much to pay per handshake.
 */
function secureContext(caPem: string | undefined, legacy: boolean): tls.SecureContext {
  const key = `${legacy}\n${caPem ?? ''}`
  let ctx = contexts.get(key)
  if (!ctx) {
    ctx = tls.createSecureContext({
      ...(caPem ? { ca: [...tls.rootCertificates, caPem] } : {}),
      // Offer only TLS 1.0/1.1, and let this OpenSSL use them (it refuses them at its default security level).
      ...(legacy ? { minVersion: 'TLSv1' as const, maxVersion: 'TLSv1.1' as const, ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
    })
    contexts.set(key, ctx)
  }
  return ctx
}

export interface HandshakeOptions {
  timeoutMs: number
  legacy: boolean
  caPem?: string
}

export function handshake(ep: Endpoint, opts: HandshakeOptions): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    let connected = false
    let settled = false
    const done = (r: HandshakeResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve(r)
    }
    const socket = tls.connect({
      host: ep.host,
      port: ep.port,
      // SNI is not sent for IP addresses (RFC 6066).
      ...(isIP(ep.servername) ? {} : { servername: ep.servername }),
      rejectUnauthorized: false,
      // Host name is judged separately, so `authorizationError` is about the chain alone.
      checkServerIdentity: () => undefined,
      secureContext: secureContext(opts.caPem, opts.legacy),
    })
    const timer = setTimeout(() => {
      done({ ok: false, chain: [], error: { kind: 'timeout', code: 'ETIMEDOUT', message: connected ? `no TLS handshake within ${opts.timeoutMs} ms (TCP connected)` : `no TCP connection within ${opts.timeoutMs} ms` } })
    }, opts.timeoutMs)
    socket.on('connect', () => (connected = true))
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate(true)
      done({
        ok: true,
        protocol: socket.getProtocol() ?? undefined,
        cipher: socket.getCipher()?.name,
        authorized: socket.authorized,
        authorizationError: socket.authorizationError ? String((socket.authorizationError as unknown as { code?: string }).code ?? socket.authorizationError) : undefined,
        chain: peer && peer.raw ? chainOf(peer) : [],
        peer,
      })
    })
    socket.on('error', (err: NodeJS.ErrnoException) => {
      done({ ok: false, chain: [], error: { kind: classify(err, connected), code: err.code, message: sslReason(err.message) } })
    })
  })
}

/** Both handshakes for the target's endpoint, once per run (the http target and a tls target on the same endpoint share them). */
let systemRoots: Set<string> | undefined

/** Fingerprints of the trusted roots: Node's bundled roots plus every certificate in the `ca` file. */
function trustedFingerprints(caPem: string | undefined): Set<string> {
  systemRoots ??= new Set(tls.rootCertificates.map((pem) => new X509Certificate(pem).fingerprint256))
  const out = new Set(systemRoots)
  for (const pem of caPem?.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []) {
    try {
      out.add(new X509Certificate(pem).fingerprint256)
    } catch {
      // Not a certificate: OpenSSL ignores it too.
    }
  }
  return out
}

export async function tlsFacts(ctx: CheckContext): Promise<TlsFacts> {
  const ep = endpointOf(ctx.target)
  if (!ep) ctx.skip(`${ctx.target.address} is not an https URL: no TLS to check`)
  return ctx.shared.get(`tls:${ep.host}:${ep.port}:${ep.servername}:${ep.ca ?? ''}`, async () => {
    let caPem: string | undefined
    try {
      caPem = ep.ca ? readFileSync(ep.ca, 'utf8') : undefined
    } catch (err) {
      const error = { kind: 'config' as const, message: `cannot read the CA file ${ep.ca}: ${(err as Error).message}` }
      return { endpoint: ep, modern: { ok: false, chain: [], error }, legacy: { ok: false, chain: [], error } }
    }
    const timeoutMs = Math.round(Math.max(100, ctx.remainingMs() - 300))
    const [modern, legacy] = await Promise.all([handshake(ep, { timeoutMs, legacy: false, caPem }), handshake(ep, { timeoutMs, legacy: true, caPem })])
    const trusted = trustedFingerprints(caPem)
    for (const h of [modern, legacy]) {
      const last = h.chain[h.chain.length - 1]
      if (h.ok) h.anchored = last !== undefined && last.selfSigned && trusted.has(last.fingerprint256)
    }
    const cert = modern.ok ? modern : legacy.ok ? legacy : undefined
    return { endpoint: ep, modern, legacy, ...(cert ? { cert } : {}) }
  })
}

/**
 * The handshake that holds the certificate, or end the check: for an http target http.reachable
 * reports a dead endpoint, so this check is skipped; for a tls target the first check (tls.expiry)
 * errors with the reason and the others are skipped, so a dead endpoint is said once.
 */
export function certificateOrStop(ctx: CheckContext, facts: TlsFacts, checkId: string): HandshakeResult & { peer: PeerCertificate } {
  ctx.observe('tls.reachable', facts.cert !== undefined)
  if (facts.cert?.peer && facts.cert.chain.length) return facts.cert as HandshakeResult & { peer: PeerCertificate }
  // Facts may be shared with another target on the same endpoint: who reports depends on this target's kind.
  const ep = endpointOf(ctx.target) ?? facts.endpoint
  const err = facts.modern.error ?? facts.legacy.error
  const why = err ? `${err.kind}${err.code && !err.message.includes(err.code) ? ` ${err.code}` : ''}: ${err.message}` : 'the server sent no certificate'
  if (ep.reportedBy === checkId) throw new Error(`no TLS handshake with ${ep.label}: ${why}`)
  ctx.skip(`no TLS handshake with ${ep.label} (${err?.kind ?? 'no certificate'}) (see ${ep.reportedBy})`)
}

const DAY = 86_400_000

export function formatDate(d: Date): string {
  return d.toISOString().replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, ' UTC')
}

export function daysLeft(c: CertInfo, now: number): number {
  return Math.floor((c.validTo.getTime() - now) / DAY)
}

/** `CN=api.example.test` from a full DN (the CN is what people recognise). */
export function shortName(dnText: string): string {
  const cn = /(?:^|, )CN=([^,]+)/.exec(dnText)
  return cn ? `CN=${cn[1]}` : dnText || '(empty subject)'
}

/** The facts every tls finding shows: subject, SANs, issuer, validity, chain, protocol. */
export function certificateEvidence(h: HandshakeResult, now: number): { label: string; observed: string }[] {
  const leaf = h.chain[0]
  const chain = h.chain.map((c, i) => `${shortName(c.subject)}${c.selfSigned ? (i === 0 ? ' (self-signed)' : ' (root)') : ''}`).join(' ← ')
  const last = h.chain[h.chain.length - 1]
  const incomplete = last && !last.selfSigned ? ` ← ? (${shortName(last.issuer)} not sent by the server, not a trusted root here)` : ''
  return [
    { label: 'subject', observed: leaf.subject || '(empty)' },
    { label: 'subject alternative names', observed: leaf.subjectAltName || '(none)' },
    { label: 'issuer', observed: leaf.issuer },
    { label: 'valid', observed: `${formatDate(leaf.validFrom)} to ${formatDate(leaf.validTo)} (${describeRemaining(leaf.validTo.getTime() - now)})` },
    { label: 'chain', observed: chain + incomplete },
    { label: 'protocol', observed: `${h.protocol ?? '?'}${h.cipher ? `, ${h.cipher}` : ''}` },
  ]
}

/** `10 days left`, `1 day 23 h left`, `expired 3 days ago`: hours where they matter. */
export function describeRemaining(ms: number): string {
  const abs = Math.abs(ms)
  const days = Math.floor(abs / DAY)
  const hours = Math.floor((abs % DAY) / 3_600_000)
  const text = days >= 3 ? `${days} days` : days > 0 ? `${days} day${days > 1 ? 's' : ''}${hours ? ` ${hours} h` : ''}` : `${hours} h`
  return ms < 0 ? `expired ${text} ago` : `${text} left`
}

/** `openssl s_client` that shows what medic saw. */
export function sClient(ep: Endpoint, extra = ''): string {
  const sni = isIP(ep.servername) ? '' : ` -servername ${ep.servername}`
  const ca = ep.ca ? ` -CAfile ${ep.ca}` : ''
  return `openssl s_client -connect ${ep.label}${sni}${ca}${extra} </dev/null`
}
