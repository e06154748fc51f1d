/**
 * The TLS facts of one endpoint, gathered once per run and shared by the tls.* checks: one handshake
 * with the client's usual settings (TLS 1.2+) that accepts any certificate so it can read it, with
 * trust judged apart (`authorized`/`authorizationError` against the system roots plus the target's
 * `ca`, host name with `tls.checkServerIdentity`), and one handshake that offers only TLS 1.0/1.1 at
 * OpenSSL security level 0 to learn whether the server still accepts a legacy protocol.
 */
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import net, { isIP } from 'node:net'
import tls, { type DetailedPeerCertificate, type PeerCertificate } from 'node:tls'
import type { CheckContext } from '../../engine/check.js'
import type { Target } from '../../engine/types.js'

export interface Endpoint {
  host: string
  port: number
  /** SNI and the name the certificate must match. */
  servername: string
  /** Extra trusted CA certificates: a path to a PEM file, or PEM text. */
  ca?: string
  /** `host:port`, for people. */
  label: string
  /** How TLS starts: directly, or after the protocol's own request (PostgreSQL SSLRequest, MySQL SSL request packet). */
  starttls?: 'postgres' | 'mysql'
  /** Whether this target's client verifies the chain and the host name (sslmode, `insecure:`). */
  verifies: { chain: boolean; hostname: boolean; how: string }
  /** The check that reports an endpoint that cannot be reached (refused, DNS, timeout); null: tls.expiry errors. */
  deadReportedBy: string | null
  /** The check that reports a failed handshake; null: tls.expiry errors with the reason. */
  handshakeReportedBy: string | null
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

export type HandshakeErrorKind = 'refused' | 'dns' | 'timeout' | 'network' | 'protocol' | 'handshake' | 'no-tls' | 'config'

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

const VERIFIES_ALL = { chain: true, hostname: true, how: 'clients verify the chain and the host name' }

/**
 * The TLS endpoint of a target, or why there is none: a `tls` target; an `http` target whose URL is
 * https; a `postgres` target whose URL asks for TLS (`sslmode=require|verify-ca|verify-full`,
 * `ssl=true`; CA from `sslrootcert`); a `redis` target with a `rediss://` URL (its `tls:` settings).
 */
export function endpointOf(target: Target): { endpoint: Endpoint } | { skip: string } {
  const o = target.options
  const bracketless = (h: string) => h.replace(/^\[|\]$/g, '')
  switch (target.kind) {
    case 'tls': {
      const host = String(o.host)
      const port = Number(o.port ?? 443)
      const servername = String(o.servername ?? host)
      return { endpoint: { host, port, servername, ca: o.ca as string | undefined, label: `${host}:${port}`, verifies: VERIFIES_ALL, deadReportedBy: null, handshakeReportedBy: null } }
    }
    case 'http': {
      const u = new URL(String(o.url))
      if (u.protocol !== 'https:') return { skip: `${target.address} is not an https URL: no TLS to check` }
      const host = bracketless(u.hostname)
      const port = Number(u.port || 443)
      const verifies = o.insecure ? { chain: false, hostname: false, how: 'insecure: true (this client accepts any certificate)' } : VERIFIES_ALL
      return { endpoint: { host, port, servername: host, ca: o.ca as string | undefined, label: `${u.hostname}:${port}`, verifies, deadReportedBy: 'http.reachable', handshakeReportedBy: 'http.reachable' } }
    }
    case 'postgres': {
      const u = new URL(String(o.url))
      const mode = (u.searchParams.get('sslmode') ?? '').toLowerCase()
      const ssl = (u.searchParams.get('ssl') ?? '').toLowerCase()
      const asked = ['require', 'verify-ca', 'verify-full', 'no-verify'].includes(mode) || ['true', '1'].includes(ssl)
      if (!asked) return { skip: `${target.address} does not ask for TLS (sslmode=${mode || 'unset'}): no TLS to check` }
      const host = bracketless(u.hostname || 'localhost')
      const port = Number(u.port || 5432)
      // libpq semantics; node-postgres treats ssl=true like verify-full.
      const verifies =
        mode === 'require' || mode === 'no-verify'
          ? { chain: false, hostname: false, how: `sslmode=${mode} (the client encrypts but does not verify the certificate)` }
          : mode === 'verify-ca'
            ? { chain: true, hostname: false, how: 'sslmode=verify-ca (the client verifies the chain, not the host name)' }
            : { chain: true, hostname: true, how: mode ? `sslmode=${mode}` : 'ssl=true (node-postgres verifies the chain and the host name)' }
      const ca = u.searchParams.get('sslrootcert') ?? undefined
      return { endpoint: { host, port, servername: host, ca, label: `${host}:${port}`, starttls: 'postgres', verifies, deadReportedBy: 'the postgres checks', handshakeReportedBy: null } }
    }
    case 'mysql': {
      const u = new URL(String(o.url))
      const p = (...names: string[]) => names.map((n) => u.searchParams.get(n)).find((v) => v !== null) ?? ''
      const mode = p('ssl-mode', 'sslmode', 'ssl_mode').toUpperCase().replace(/-/g, '_')
      const ssl = p('ssl').toLowerCase()
      const prisma = p('sslaccept').toLowerCase()
      const asked = ['REQUIRED', 'REQUIRE', 'VERIFY_CA', 'VERIFY_IDENTITY'].includes(mode) || ['true', '1'].includes(ssl) || ssl.startsWith('{') || prisma !== ''
      if (!asked) return { skip: `${target.address} does not ask for TLS (ssl-mode=${mode || 'unset'}): no TLS to check` }
      const host = bracketless(u.hostname || 'localhost')
      const port = Number(u.port || 3306)
      const verifies =
        mode === 'REQUIRED' || mode === 'REQUIRE' || prisma === 'accept_invalid_certs' || /"rejectUnauthorized"\s*:\s*false/.test(ssl)
          ? { chain: false, hostname: false, how: `${mode ? `ssl-mode=${mode}` : 'ssl with rejectUnauthorized false'} (the client encrypts but does not verify the certificate)` }
          : mode === 'VERIFY_CA'
            ? { chain: true, hostname: false, how: 'ssl-mode=VERIFY_CA (the client verifies the chain, not the host name)' }
            : { chain: true, hostname: true, how: mode ? `ssl-mode=${mode}` : 'ssl on (mysql2 verifies the chain and the host name)' }
      const ca = p('ssl-ca', 'sslca', 'ssl_ca', 'sslrootcert') || undefined
      return { endpoint: { host, port, servername: host, ca, label: `${host}:${port}`, starttls: 'mysql', verifies, deadReportedBy: 'the mysql checks', handshakeReportedBy: null } }
    }
    case 'redis': {
      const u = new URL(String(o.url))
      if (u.protocol !== 'rediss:') return { skip: `${target.address} is not a rediss:// URL: no TLS to check` }
      const t = (o.tls ?? {}) as { ca?: string; servername?: string; insecure?: boolean }
      const host = bracketless(u.hostname)
      const port = Number(u.port || 6379)
      const verifies = t.insecure ? { chain: false, hostname: false, how: 'tls.insecure: true (the client accepts any certificate)' } : VERIFIES_ALL
      return { endpoint: { host, port, servername: t.servername ?? host, ca: t.ca, label: `${u.hostname}:${port}`, verifies, deadReportedBy: 'the redis checks', handshakeReportedBy: null } }
    }
    default:
      return { skip: `TLS of ${target.kind} targets is not checked` }
  }
}

/** OpenSSL's error lines (`...:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:../deps/...`) down to the reason. */
export function sslReason(message: string): string {
  const m = /SSL routines:[^:]*:([^:]+):/.exec(message)
  const reason = m ? m[1] : message.trim()
  // What OpenSSL says when the other side answers with something that is not TLS at all.
  if (/wrong version number|packet length too long|http request/i.test(reason)) return `${reason}: the port does not speak TLS (plain HTTP or another protocol?)`
  return reason
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

/** PostgreSQL's SSLRequest: length 8, code 80877103. The server answers one byte, S (TLS follows) or N. */
const PG_SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f])

/** MySQL capability flags medic announces in its SSL request: long password, 4.1 protocol, SSL, secure connection, plugin auth. */
const MYSQL_CAPS = 0x1 | 0x200 | 0x800 | 0x8000 | 0x80000
const CLIENT_SSL = 0x800

/**
 * MySQL/MariaDB start TLS inside the protocol: the server greets first (HandshakeV10, with CLIENT_SSL
 * among its capabilities when TLS is on), the client answers with a 32-byte SSL request packet, then
 * the TLS handshake runs on the same socket. An error packet (0xff) instead of a greeting is the
 * server refusing the connection (too many connections, host blocked).
 */
function mysqlSslRequest(r: net.Socket, onReady: () => void, onFail: (message: string, kind?: HandshakeErrorKind) => void): void {
  let buf = Buffer.alloc(0)
  const onData = (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk])
    if (buf.length < 4) return
    const len = buf.readUIntLE(0, 3)
    if (buf.length < 4 + len) return
    r.off('data', onData)
    const seq = buf[3]
    const payload = buf.subarray(4, 4 + len)
    if (payload[0] === 0xff) {
      const code = payload.readUInt16LE(1)
      const text = payload.subarray(payload[3] === 0x23 ? 9 : 3).toString('utf8')
      return onFail(`the server refused the connection before TLS: ${code} ${text}`, 'handshake')
    }
    if (payload[0] !== 10) return onFail(`not a MySQL greeting (protocol byte ${payload[0]})`, 'protocol')
    const versionEnd = payload.indexOf(0, 1)
    const version = payload.subarray(1, versionEnd).toString('latin1')
    // version NUL, connection id (4), auth data part 1 (8), filler (1), then the capability flags' low 16 bits.
    const capsLow = payload.readUInt16LE(versionEnd + 1 + 4 + 8 + 1)
    if (!(capsLow & CLIENT_SSL)) return onFail(`the server (${version}) does not offer TLS: have_ssl is DISABLED (no ssl_cert/ssl_key configured)`)
    const packet = Buffer.alloc(4 + 32)
    packet.writeUIntLE(32, 0, 3)
    packet[3] = seq + 1
    packet.writeUInt32LE(MYSQL_CAPS, 4)
    packet.writeUInt32LE(16 * 1024 * 1024, 8)
    packet[12] = 33 // utf8_general_ci
    r.write(packet, () => onReady())
  }
  r.on('data', onData)
}

export function handshake(ep: Endpoint, opts: HandshakeOptions): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    let connected = false
    let settled = false
    let raw: net.Socket | undefined
    let socket: tls.TLSSocket | undefined
    const done = (r: HandshakeResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket?.destroy()
      raw?.destroy()
      resolve(r)
    }
    const fail = (err: NodeJS.ErrnoException) => done({ ok: false, chain: [], error: { kind: classify(err, connected), code: err.code, message: sslReason(err.message) } })
    const timer = setTimeout(() => {
      done({ ok: false, chain: [], error: { kind: 'timeout', code: 'ETIMEDOUT', message: connected ? `no TLS handshake within ${opts.timeoutMs} ms (TCP connected)` : `no TCP connection within ${opts.timeoutMs} ms` } })
    }, opts.timeoutMs)

    const startTls = (over?: net.Socket) => {
      socket = tls.connect({
        ...(over ? { socket: over } : { host: ep.host, port: ep.port }),
        // SNI is not sent for IP addresses (RFC 6066).
        ...(isIP(ep.servername) ? {} : { servername: ep.servername }),
        rejectUnauthorized: false,
        // Host name is judged separately, so `authorizationError` is about the chain alone.
        checkServerIdentity: () => undefined,
        secureContext: secureContext(opts.caPem, opts.legacy),
      })
      const s = socket
      s.on('connect', () => (connected = true))
      s.once('secureConnect', () => {
        const peer = s.getPeerCertificate(true)
        done({
          ok: true,
          protocol: s.getProtocol() ?? undefined,
          cipher: s.getCipher()?.name,
          authorized: s.authorized,
          authorizationError: s.authorizationError ? String((s.authorizationError as unknown as { code?: string }).code ?? s.authorizationError) : undefined,
          chain: peer && peer.raw ? chainOf(peer) : [],
          peer,
        })
      })
      s.on('error', fail)
    }

    if (!ep.starttls) return startTls()
    const r = net.connect({ host: ep.host, port: ep.port })
    raw = r
    r.on('error', fail)
    if (ep.starttls === 'mysql') {
      r.on('connect', () => (connected = true))
      return mysqlSslRequest(r, () => startTls(r), (message, kind = 'no-tls') => done({ ok: false, chain: [], error: { kind, message } }))
    }
    r.on('connect', () => {
      connected = true
      r.write(PG_SSL_REQUEST)
    })
    r.once('data', (answer: Buffer) => {
      if (answer[0] === 0x53 /* S */) return startTls(r)
      done({ ok: false, chain: [], error: { kind: 'no-tls', message: `the server answered ${answer[0] === 0x4e ? "'N'" : `0x${answer.subarray(0, 4).toString('hex')}`} to SSLRequest: TLS is off on this PostgreSQL (ssl = off in postgresql.conf)` } })
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
  const found = endpointOf(ctx.target)
  if ('skip' in found) ctx.skip(found.skip)
  const ep = found.endpoint
  return ctx.shared.get(`tls:${ep.starttls ?? 'direct'}:${ep.host}:${ep.port}:${ep.servername}:${ep.ca ?? ''}`, async () => {
    let caPem: string | undefined
    try {
      caPem = !ep.ca ? undefined : ep.ca.includes('-----BEGIN') ? ep.ca : readFileSync(ep.ca, 'utf8')
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
 * The handshake that holds the certificate, or end the check. A dead endpoint or a failed handshake
 * is said once: by the check the target's kind names (http.reachable, the postgres/redis checks),
 * the others being skipped; for a tls target (and a handshake failing on a datastore), tls.expiry
 * errors with the reason and the other tls checks are skipped.
 */
export function certificateOrStop(ctx: CheckContext, facts: TlsFacts, checkId: string): HandshakeResult & { peer: PeerCertificate } {
  ctx.observe('tls.reachable', facts.cert !== undefined)
  if (facts.cert?.peer && facts.cert.chain.length) return facts.cert as HandshakeResult & { peer: PeerCertificate }
  // Facts may be shared with another target on the same endpoint: who reports depends on this target's kind.
  const found = endpointOf(ctx.target)
  const ep = 'endpoint' in found ? found.endpoint : facts.endpoint
  const err = facts.modern.error ?? facts.legacy.error
  const why = err ? `${err.kind}${err.code && !err.message.includes(err.code) ? ` ${err.code}` : ''}: ${err.message}` : 'the server sent no certificate'
  const dead = err && ['refused', 'dns', 'timeout', 'network'].includes(err.kind)
  const reporter = (dead ? ep.deadReportedBy : ep.handshakeReportedBy) ?? 'tls.expiry'
  if (reporter === checkId) throw new Error(`no TLS handshake with ${ep.label}: ${why}`)
  ctx.skip(`no TLS handshake with ${ep.label} (${err?.kind ?? 'no certificate'}) (see ${reporter})`)
}

/** This target's view of the endpoint (facts may have been gathered for another target on it). */
export function targetEndpoint(ctx: CheckContext, facts: TlsFacts): Endpoint {
  const found = endpointOf(ctx.target)
  return 'endpoint' in found ? found.endpoint : facts.endpoint
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
  const ca = ep.ca && !ep.ca.includes('-----BEGIN') ? ` -CAfile ${ep.ca}` : ''
  const starttls = ep.starttls ? ` -starttls ${ep.starttls}` : ''
  return `openssl s_client -connect ${ep.label}${starttls}${sni}${ca}${extra} </dev/null`
}
