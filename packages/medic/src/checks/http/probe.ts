/**
 * One timed GET against an http target, shared by the http checks of a run: a fresh socket per probe
 * (no keep-alive agent) so every phase is measured, like curl's -w timings: dns, connect, tls, ttfb
 * (time to first byte once the connection is ready: the server's own time), transfer and total.
 * A probe never throws: a connection failure is classified (refused, dns, tls, timeout...) and kept
 * in the result, because for the checks a failure is a fact to report, not an accident.
 */
import { readFileSync } from 'node:fs'
import http, { type IncomingHttpHeaders } from 'node:http'
import https from 'node:https'
import { isIP } from 'node:net'
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls'
import type { CheckContext } from '../../engine/check.js'
import { maskUrl } from '../../engine/redact.js'
import type { Target } from '../../engine/types.js'

export type FailureKind = 'refused' | 'dns' | 'tls' | 'timeout' | 'reset' | 'network' | 'protocol' | 'config' | 'other'
export type Phase = 'dns' | 'connect' | 'tls' | 'response' | 'body'

export interface Timings {
  dnsMs: number
  connectMs: number
  tlsMs: number
  /** From the connection being ready (request sent) to the response headers. */
  ttfbMs: number
  transferMs: number
  totalMs: number
}

export interface ProbeFailure {
  kind: FailureKind
  /** The phase that did not complete. */
  phase: Phase
  code?: string
  message: string
}

export interface ProbeResult {
  /** Display URL, credentials masked. */
  url: string
  path: string
  ok: boolean
  failure?: ProbeFailure
  status?: number
  statusText?: string
  headers?: IncomingHttpHeaders
  contentType?: string
  /** The body as text, at most `maxBodyBytes`. */
  body?: string
  bodyTruncated?: boolean
  /** The body did not finish before the timeout (what came is in `body`). */
  bodyTimedOut?: boolean
  /** Phases completed so far (a failed probe keeps the phases it got through). */
  timings: Timings
  remoteAddress?: string
}

export interface ProbeOptions {
  timeoutMs: number
  maxBodyBytes: number
  headers?: Record<string, string>
  insecure?: boolean
  /** PEM text of extra trusted CAs. */
  ca?: string
}

/** Error codes OpenSSL/Node give for certificate problems (the tls.* checks explain each). */
const CERT_CODES = /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|CERT_|HOSTNAME_MISMATCH|ERR_TLS_|ERR_SSL_|INVALID_CA|PATH_LENGTH_EXCEEDED|INVALID_PURPOSE|CERT_UNTRUSTED|CERT_REJECTED)/
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA'])
const NETWORK_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EHOSTDOWN', 'ENETDOWN'])

class ProbeTimeout extends Error {
  readonly code = 'ETIMEDOUT'
}

function classify(err: NodeJS.ErrnoException, phase: Phase, isHttps: boolean): FailureKind {
  const code = err.code ?? ''
  if (err instanceof ProbeTimeout) return 'timeout'
  if (code === 'ECONNREFUSED') return 'refused'
  if (DNS_CODES.has(code)) return 'dns'
  if (NETWORK_CODES.has(code)) return 'network'
  if (CERT_CODES.test(code) || code === 'EPROTO' || /ssl|tls|certificate/i.test(err.message)) return 'tls'
  // A reset before the handshake completed is the handshake failing (often plain HTTP on a TLS port or the reverse).
  if (isHttps && phase === 'tls') return 'tls'
  if (code.startsWith('HPE_')) return 'protocol'
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset'
  return 'other'
}

/** Resolve a health path (or full URL) against the target URL: `/ready` replaces the base path. */
export function resolveUrl(base: string, path: string): URL {
  return new URL(path, base)
}

/** A URL for people: no password, no secret-looking query values. */
export function displayUrl(u: URL): string {
  return maskUrl(u.toString())
}

export function readCa(path: string | undefined): string | undefined {
  return path ? readFileSync(path, 'utf8') : undefined
}

const caContexts = new Map<string, SecureContext>()

/** System roots plus the target's CA, built once per CA (it takes ~100 ms). */
function caContext(caPem: string): SecureContext {
  let ctx = caContexts.get(caPem)
  if (!ctx) {
    ctx = createSecureContext({ ca: [...rootCertificates, caPem] })
    caContexts.set(caPem, ctx)
  }
  return ctx
}

export async function probe(url: URL, opts: ProbeOptions): Promise<ProbeResult> {
  const isHttps = url.protocol === 'https:'
  // Built before the clock starts: it is medic's cost, not the server's.
  const secureContext = isHttps && opts.ca ? caContext(opts.ca) : undefined
  const started = performance.now()
  const mark = () => performance.now() - started
  let tDns: number | undefined
  let tConnect: number | undefined
  let tTls: number | undefined
  let tHeaders: number | undefined
  let tEnd: number | undefined
  const needsDns = isIP(url.hostname.replace(/^\[|\]$/g, '')) === 0
  const result: ProbeResult = {
    url: displayUrl(url),
    path: url.pathname + url.search,
    ok: false,
    timings: { dnsMs: 0, connectMs: 0, tlsMs: 0, ttfbMs: 0, transferMs: 0, totalMs: 0 },
  }

  const phaseNow = (): Phase => {
    if (needsDns && tDns === undefined) return 'dns'
    if (tConnect === undefined) return 'connect'
    if (isHttps && tTls === undefined) return 'tls'
    if (tHeaders === undefined) return 'response'
    return 'body'
  }

  const fillTimings = () => {
    const total = tEnd ?? mark()
    const dnsEnd = needsDns ? tDns : 0
    const ready = isHttps ? tTls : tConnect
    result.timings = {
      dnsMs: round(dnsEnd ?? 0),
      connectMs: round(tConnect !== undefined ? tConnect - (dnsEnd ?? 0) : 0),
      tlsMs: round(isHttps && tTls !== undefined && tConnect !== undefined ? tTls - tConnect : 0),
      ttfbMs: round(tHeaders !== undefined && ready !== undefined ? tHeaders - ready : 0),
      transferMs: round(tEnd !== undefined && tHeaders !== undefined ? tEnd - tHeaders : 0),
      totalMs: round(total),
    }
  }


  return new Promise<ProbeResult>((resolve) => {
    let settled = false
    const finish = (err?: NodeJS.ErrnoException) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (err) {
        const phase = phaseNow()
        result.ok = false
        // OpenSSL's error lines (`...:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:../deps/...`) down to the reason.
        let message = /SSL routines:[^:]*:([^:]+):/.exec(err.message)?.[1] ?? err.message.trim()
        if (/wrong version number|packet length too long/i.test(message)) message += ': the port does not speak TLS (use http://?)'
        result.failure = { kind: classify(err, phase, isHttps), phase, code: err.code, message }
      } else {
        result.ok = true
      }
      // Done with this connection whatever happened (a truncated body, a timeout).
      req.destroy()
      fillTimings()
      resolve(result)
    }

    const mod = isHttps ? https : http
    const req = mod.request(url, {
      method: 'GET',
      agent: false,
      headers: {
        'user-agent': 'medic',
        accept: 'application/health+json, application/json;q=0.9, */*;q=0.1',
        ...(opts.headers ?? {}),
        connection: 'close',
      },
      ...(isHttps ? { rejectUnauthorized: !opts.insecure, ...(secureContext ? { secureContext } : {}) } : {}),
    })
    const chunks: Buffer[] = []
    const timer = setTimeout(() => {
      const phase = phaseNow()
      if (phase === 'body') {
        // The status and headers arrived: that is an answer. Keep what of the body came in time.
        result.body = Buffer.concat(chunks).toString('utf8')
        result.bodyTruncated = true
        result.bodyTimedOut = true
        tEnd = mark()
        return finish()
      }
      const what: Record<Phase, string> = {
        dns: 'DNS lookup',
        connect: 'TCP connect',
        tls: 'TLS handshake',
        response: 'HTTP response (TCP connected, no answer)',
        body: 'response body',
      }
      finish(new ProbeTimeout(`no ${what[phase]} within ${opts.timeoutMs} ms`))
    }, opts.timeoutMs)

    req.on('socket', (sock) => {
      sock.on('lookup', () => (tDns ??= mark()))
      sock.on('connect', () => {
        tConnect ??= mark()
        result.remoteAddress = sock.remoteAddress
      })
      sock.on('secureConnect', () => (tTls ??= mark()))
    })
    req.on('error', (err) => finish(err))
    req.on('response', (res) => {
      tHeaders = mark()
      // Servers that reuse a socket may skip the events above: the connection was ready by now.
      tConnect ??= tHeaders
      if (isHttps) tTls ??= tHeaders
      result.status = res.statusCode
      result.statusText = res.statusMessage
      result.headers = res.headers
      result.contentType = String(res.headers['content-type'] ?? '')
      let size = 0
      res.on('data', (chunk: Buffer) => {
        if (settled) return
        const room = opts.maxBodyBytes - size
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room))
          size += room
          result.bodyTruncated = true
          result.body = Buffer.concat(chunks).toString('utf8')
          tEnd = mark()
          finish()
          return
        }
        chunks.push(chunk)
        size += chunk.length
      })
      res.on('end', () => {
        result.body = Buffer.concat(chunks).toString('utf8')
        tEnd = mark()
        finish()
      })
      res.on('error', (err) => finish(err))
    })
    req.end()
  })
}

function round(ms: number): number {
  return Math.max(0, Math.round(ms))
}

export interface HttpTargetOptions {
  url: string
  health: string[]
  headers: Record<string, string>
  insecure: boolean
  ca?: string
}

export function targetOptions(target: Target): HttpTargetOptions {
  const o = target.options as Partial<HttpTargetOptions>
  return { url: String(o.url), health: o.health ?? ['/health'], headers: o.headers ?? {}, insecure: o.insecure ?? false, ca: o.ca }
}

/** The health endpoints to probe; the base URL when none are configured. */
export function healthUrls(target: Target): URL[] {
  const o = targetOptions(target)
  const paths = o.health.length ? o.health : [new URL(o.url).pathname]
  const seen = new Set<string>()
  return paths.map((p) => resolveUrl(o.url, p)).filter((u) => !seen.has(u.href) && seen.add(u.href))
}

/** Health endpoints plus the base URL (for checks that look at every answer). */
export function allUrls(target: Target): URL[] {
  const urls = healthUrls(target)
  const base = new URL(targetOptions(target).url)
  return urls.some((u) => u.href === base.href) ? urls : [base, ...urls]
}

export interface ProbeSettings {
  timeoutMs: number
  maxBodyBytes: number
}

/**
 * One setting for every http check, since they share probes: the body is read up to 1 MB, and the
 * probe gives up just before the asking check's deadline (the config's `timeoutMs`).
 */
export const PROBE: ProbeSettings = { timeoutMs: 30_000, maxBodyBytes: 1_048_576 }

/**
 * The probe of one URL, made once per run and shared by every http check of the target. Its timeout
 * is cut short of the asking check's deadline so a blackholed port ends as a `timeout` fact, not as a
 * check that timed out.
 */
export function sharedProbe(ctx: CheckContext, url: URL, settings: ProbeSettings = PROBE): Promise<ProbeResult> {
  const o = targetOptions(ctx.target)
  return ctx.shared.get(`http:${ctx.target.id}:${url.href}`, async () => {
    let ca: string | undefined
    try {
      ca = readCa(o.ca)
    } catch (err) {
      return {
        url: displayUrl(url),
        path: url.pathname,
        ok: false,
        failure: { kind: 'config', phase: 'connect', message: `cannot read the CA file ${o.ca}: ${(err as Error).message}` },
        timings: { dnsMs: 0, connectMs: 0, tlsMs: 0, ttfbMs: 0, transferMs: 0, totalMs: 0 },
      } satisfies ProbeResult
    }
    const timeoutMs = Math.round(Math.max(100, Math.min(settings.timeoutMs, ctx.remainingMs() - 300)))
    return probe(url, { timeoutMs, maxBodyBytes: settings.maxBodyBytes, headers: o.headers, insecure: o.insecure, ca })
  })
}

/** Probe several URLs in parallel. */
export function probeAll(ctx: CheckContext, urls: URL[], settings: ProbeSettings = PROBE): Promise<ProbeResult[]> {
  return Promise.all(urls.map((u) => sharedProbe(ctx, u, settings)))
}

/** Connection-level failures mean the target is down: the reachability check reports them once. */
export function isConnectionFailure(p: ProbeResult): boolean {
  return !p.ok && p.failure !== undefined && p.failure.phase !== 'body'
}

/** Skip a check when the target cannot be reached at all (http.reachable reports it). */
export function skipIfUnreachable(ctx: CheckContext, probes: ProbeResult[]): ProbeResult[] {
  const answered = probes.filter((p) => p.ok)
  if (answered.length === 0) {
    const f = probes[0]?.failure
    ctx.skip(`${ctx.target.address} unreachable${f ? ` (${f.kind})` : ''} (see http.reachable)`)
  }
  return answered
}

export function describeTimings(t: Timings, isHttps: boolean): string {
  const parts = [`dns ${t.dnsMs} ms`, `connect ${t.connectMs} ms`]
  if (isHttps) parts.push(`tls ${t.tlsMs} ms`)
  parts.push(`ttfb ${t.ttfbMs} ms`, `transfer ${t.transferMs} ms`, `total ${t.totalMs} ms`)
  return parts.join(', ')
}

/** Shell-quote for commands shown to people. */
export function shq(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`
}

/** curl flags that reproduce the probe's TLS settings (never the configured headers: they may hold tokens). */
export function curlTlsFlags(target: Target): string {
  const o = targetOptions(target)
  return [o.insecure ? '-k' : '', o.ca ? `--cacert ${shq(o.ca)}` : ''].filter(Boolean).join(' ')
}
