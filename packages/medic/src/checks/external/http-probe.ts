/**
 * A small HTTP GET client for probing HTTP dependencies (third-party APIs here, Qdrant's REST API
 * too). It tells apart the ways a dependency can be out of reach (name does not resolve, port
 * refused, TCP connect hanging, connected but silent, TLS refused) because each one has a
 * different fix, and it always ends by the caller's budget: a blackholed port must not hang medic.
 */
import { createRequire } from 'node:module'
import type { Agent, Dispatcher } from 'undici'
import type * as Undici from 'undici'

// undici is required on the first probe, not at start-up: loading it costs every medic command.
let undiciLib: typeof Undici | undefined
const undici = (): typeof Undici => (undiciLib ??= createRequire(import.meta.url)('undici') as typeof Undici)
import { maskUrl } from '../../engine/redact.js'

export type NetFailureKind =
  | 'dns'
  | 'dns-temporary'
  | 'refused'
  | 'connect-timeout'
  | 'response-timeout'
  | 'body-timeout'
  | 'tls'
  | 'reset'
  | 'no-route'
  | 'protocol'
  | 'invalid-request'
  | 'other'

export class NetFailure extends Error {
  constructor(
    readonly kind: NetFailureKind,
    readonly code: string,
    readonly host: string,
    readonly port: string,
    readonly ms: number,
    detail: string,
    /** The proxy the request went through (credentials masked), when one applied. */
    readonly proxy?: string,
    /** For body-timeout: the status and when the headers came, and the body bytes read in time. */
    readonly partial?: { status: number; headersMs: number; bytes: number },
  ) {
    super(detail)
    this.name = 'NetFailure'
  }
}

export interface HttpResult {
  status: number
  /** Lower-case header names; repeated headers joined with `, `. */
  headers: Record<string, string>
  body: string
  /** Time to the full body, ms. */
  ms: number
  /** The proxy the request went through (credentials masked), when one applied. */
  proxy?: string
}

export interface GetOptions {
  headers?: Record<string, string>
  /** Own budget for this request, ms (the caller passes what is left before its deadline). */
  timeoutMs: number
  /** The check's signal: aborting it ends the request too. */
  signal?: AbortSignal
  /** Bodies are read up to this size (a list of 10 000 collections is still small). */
  maxBytes?: number
}

export interface ProbeClient {
  get(url: string, options: GetOptions): Promise<HttpResult>
  close(): Promise<void>
}

const CODE_KIND: Record<string, NetFailureKind> = {
  ENOTFOUND: 'dns',
  EAI_NONAME: 'dns',
  EAI_NODATA: 'dns',
  EAI_AGAIN: 'dns-temporary',
  EAI_FAIL: 'dns-temporary',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  UND_ERR_SOCKET: 'reset',
  EPIPE: 'reset',
  EHOSTUNREACH: 'no-route',
  ENETUNREACH: 'no-route',
  EHOSTDOWN: 'no-route',
  UND_ERR_CONNECT_TIMEOUT: 'connect-timeout',
  ETIMEDOUT: 'connect-timeout',
  UND_ERR_HEADERS_TIMEOUT: 'response-timeout',
  UND_ERR_BODY_TIMEOUT: 'response-timeout',
  UND_ERR_INVALID_ARG: 'invalid-request',
  EPROTO: 'tls',
}

function errorCode(err: unknown): string {
  let e: unknown = err
  for (let depth = 0; depth < 4 && e; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && code !== 'UND_ERR') return code
    e = (e as { cause?: unknown }).cause
  }
  return ''
}

function kindOf(code: string): NetFailureKind {
  if (CODE_KIND[code]) return CODE_KIND[code]
  if (/^HPE_/.test(code)) return 'protocol'
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code)) return 'tls'
  return 'other'
}

type Env = Record<string, string | undefined>

/** HTTP(S)_PROXY / NO_PROXY as curl and most HTTP clients read them (lower case wins, as in curl). */
export function proxySettings(env: Env): { httpProxy?: string; httpsProxy?: string; noProxy?: string } {
  return {
    httpProxy: env.http_proxy || env.HTTP_PROXY || undefined,
    httpsProxy: env.https_proxy || env.HTTPS_PROXY || env.http_proxy || env.HTTP_PROXY || undefined,
    noProxy: env.no_proxy || env.NO_PROXY || undefined,
  }
}

/** The proxy a URL goes through under these settings, or undefined (NO_PROXY: `*`, host names, `.suffix`, host:port). */
export function proxyFor(url: URL, p: ReturnType<typeof proxySettings>): string | undefined {
  const proxy = url.protocol === 'https:' ? p.httpsProxy : p.httpProxy
  if (!proxy) return undefined
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  for (const raw of (p.noProxy ?? '').split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase()
    if (!entry) continue
    if (entry === '*') return undefined
    const [h, ep] = entry.startsWith('[') ? [entry.slice(1, entry.indexOf(']')), entry.split(']:')[1]] : entry.split(':')
    if (ep && ep !== port) continue
    const bare = h.replace(/^\*?\./, '')
    if (host === bare || host.endsWith(`.${bare}`)) return undefined
  }
  return maskUrl(proxy).replace(/\/+$/, '')
}

/**
 * One agent per target: it remembers which origins it managed to connect to, to tell a hung
 * connect from a silent server. With HTTP(S)_PROXY set, requests go through the proxy as the
 * app's would (undici's EnvHttpProxyAgent, honouring NO_PROXY).
 */
export function createProbeClient(env: Env = process.env): ProbeClient {
  const connected = new Set<string>()
  const { Agent: AgentClass, buildConnector, EnvHttpProxyAgent } = undici()
  const base = buildConnector({})
  const options: Agent.Options = {
    // Our own timer decides; these only keep undici from cutting a probe shorter than the budget.
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: (opts, callback) => {
      base(opts, (err, socket) => {
        // undici passes the URL's own fields: an empty port for the scheme's default, IPv6 in brackets.
        if (!err) connected.add(`${opts.hostname.replace(/^\[|\]$/g, '')}:${opts.port || (opts.protocol === 'https:' ? '443' : '80')}`)
        ;(callback as (e: Error | null, s: unknown) => void)(err, socket)
      })
    },
  }
  const proxies = proxySettings(env)
  const agent: Dispatcher & { destroy(): Promise<void> } =
    proxies.httpProxy || proxies.httpsProxy ? new EnvHttpProxyAgent({ ...options, ...proxies }) : new AgentClass(options)

  return {
    async get(url, { headers = {}, timeoutMs, signal, maxBytes = 2_000_000 }) {
      const u = new URL(url)
      const proxy = proxyFor(u, proxies)
      const port = u.port || (u.protocol === 'https:' ? '443' : '80')
      const origin = `${u.hostname.replace(/^\[|\]$/g, '')}:${port}`
      const started = performance.now()
      const controller = new AbortController()
      let timedOut = false
      // The budget is enforced by this race, not only by the abort signal: undici does not abort a
      // proxy CONNECT that never answers, and a probe must never outlive its budget.
      let expire: (err: Error) => void = () => {}
      const expired = new Promise<never>((_, reject) => {
        expire = reject
      })
      const stop = (reason: unknown) => {
        timedOut = true
        controller.abort(reason)
        expire(new Error('probe budget spent'))
      }
      const timer = setTimeout(() => stop(new Error('probe budget spent')), Math.max(1, timeoutMs))
      const onAbort = () => stop(signal?.reason)
      if (signal?.aborted) onAbort()
      else signal?.addEventListener('abort', onAbort, { once: true })
      // set once the headers are in: a timeout after that is a body that trickles, not silence
      let partial: { status: number; headersMs: number; bytes: number } | undefined
      const work = (async () => {
        const res = await undici().request(url, { method: 'GET', headers, signal: controller.signal, dispatcher: agent })
        const chunks: Buffer[] = []
        let size = 0
        partial = { status: res.statusCode, headersMs: Math.round(performance.now() - started), bytes: 0 }
        for await (const chunk of res.body) {
          const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array)
          chunks.push(buf)
          size += buf.length
          partial.bytes = size
          if (size >= maxBytes) {
            res.body.destroy()
            break
          }
        }
        const out: Record<string, string> = {}
        for (const [k, v] of Object.entries(res.headers)) {
          if (v === undefined) continue
          out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v)
        }
        return { status: res.statusCode, headers: out, body: Buffer.concat(chunks).toString('utf8'), ms: Math.round(performance.now() - started), ...(proxy ? { proxy } : {}) }
      })()
      work.catch(() => {})
      expired.catch(() => {})
      try {
        return await Promise.race([work, expired])
      } catch (err) {
        const ms = Math.round(performance.now() - started)
        const code = errorCode(err)
        let kind: NetFailureKind
        // Through a proxy we only know the proxy connection, so a timeout is a timeout of the whole path.
        if (timedOut) kind = partial ? 'body-timeout' : proxy ? 'response-timeout' : connected.has(origin) ? 'response-timeout' : 'connect-timeout'
        else kind = kindOf(code)
        const detail = err instanceof Error ? err.message : String(err)
        throw new NetFailure(kind, code, u.hostname, port, ms, detail, proxy, partial)
      } finally {
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
      }
    },
    async close() {
      // A connection stuck in a proxy CONNECT can keep destroy() pending: never wait long for it.
      let t: NodeJS.Timeout | undefined
      await Promise.race([agent.destroy().catch(() => {}), new Promise<void>((r) => (t = setTimeout(r, 200)))])
      clearTimeout(t)
    },
  }
}

/** What a person should read for each way of being out of reach: the observation and the first thing to fix. */
export function describeFailure(f: NetFailure, service: string): { observed: string; title: string; fix: string } {
  const d = describeDirect(f, service)
  // a body that trickles was answered: the proxy passed the request on
  if (!f.proxy || f.kind === 'body-timeout') return d
  if (f.kind === 'response-timeout') {
    return {
      title: `${service} at ${f.host}:${f.port} does not answer through proxy ${f.proxy}`,
      observed: `no HTTP response through proxy ${f.proxy} within ${f.ms} ms`,
      fix: `Check the proxy (${f.proxy}) and whether it may reach ${f.host}:${f.port}; or add the host to NO_PROXY if it must be reached directly.`,
    }
  }
  const code = f.code ? ` (${f.code})` : ''
  return {
    title: `${service} at ${f.host}:${f.port} is unreachable through proxy ${f.proxy}`,
    observed: `request through proxy ${f.proxy} failed${code}: ${f.message}`,
    fix: `Requests go through the proxy ${f.proxy} (HTTP(S)_PROXY, as the app's would): check that it runs and may reach ${f.host}:${f.port}, or list the host in NO_PROXY. Without the proxy: ${d.fix}`,
  }
}

function describeDirect(f: NetFailure, service: string): { observed: string; title: string; fix: string } {
  const where = `${f.host}:${f.port}`
  const code = f.code ? ` (${f.code})` : ''
  switch (f.kind) {
    case 'dns':
      return {
        title: `${service} host "${f.host}" does not resolve`,
        observed: `DNS lookup of "${f.host}" found no address${code}`,
        fix: `Fix the host name in the URL (a typo, or a docker-compose service name used outside the compose network), or add the DNS record.`,
      }
    case 'dns-temporary':
      return {
        title: `DNS lookup of ${service} host "${f.host}" failed`,
        observed: `DNS lookup of "${f.host}" failed temporarily${code}: no DNS server answered`,
        fix: `Check the resolver (/etc/resolv.conf, the container's DNS) and network access from this host, then retry.`,
      }
    case 'refused':
      return {
        title: `${service} at ${where} refuses connections`,
        observed: `connection refused by ${where}${code}: nothing listens on that port`,
        fix: `Start ${service} (or its container), or fix the port in the URL; check it listens on an address this host can reach, not only 127.0.0.1 inside a container.`,
      }
    case 'connect-timeout':
      return {
        title: `${service} at ${where} does not accept connections in time`,
        observed: `TCP connect to ${where} did not complete within ${f.ms} ms${code}`,
        fix: `A firewall or security group is dropping the packets, or the host is down: check the route and the firewall from this host (nc -vz ${f.host} ${f.port}).`,
      }
    case 'response-timeout':
      return {
        title: `${service} at ${where} accepts connections but does not answer`,
        observed: `TCP connected to ${where}, but no HTTP response within ${f.ms} ms`,
        fix: `The process is hung or overloaded, or the port is not an HTTP port (a proxy without a backend, a gRPC port): check its logs, its CPU and memory, and the port.`,
      }
    case 'body-timeout': {
      const p = f.partial!
      return {
        title: `${service} at ${where} answers but does not finish its response`,
        observed: `HTTP ${p.status} headers after ${p.headersMs} ms, then only ${p.bytes} bytes of the body by ${f.ms} ms`,
        fix: `The server (or a proxy in between) stalls while streaming the body: an overloaded or hung worker, a slow upstream behind it, or a bandwidth limit. Check its logs and latency, and time the full download: curl -so /dev/null -w '%{time_starttransfer} %{time_total}\\n' <url>.`,
      }
    }
    case 'tls':
      return {
        title: `TLS handshake with ${service} at ${where} failed`,
        observed: `TLS failed${code}: ${f.message}`,
        fix: `Check the certificate (expired, self-signed, wrong host name) and that the URL scheme matches the port (https:// against a plain HTTP port fails).`,
      }
    case 'reset':
      return {
        title: `${service} at ${where} closes the connection`,
        observed: `connection to ${where} closed before an answer${code}: ${f.message}`,
        fix: `The server or a proxy in between drops the request: check its logs, connection limits and whether the port speaks plain HTTP/1.1.`,
      }
    case 'no-route':
      return {
        title: `No route to ${service} at ${where}`,
        observed: `network unreachable for ${where}${code}`,
        fix: `Check the address, the network the host is on and its routes (ip route get ${f.host}).`,
      }
    case 'protocol':
      return {
        title: `${service} at ${where} does not answer HTTP/1.1`,
        observed: `the answer from ${where} is not valid HTTP/1.1${code}: ${f.message}`,
        fix: `The URL points at a port that speaks another protocol (a gRPC or database port): use the service's HTTP port.`,
      }
    case 'invalid-request':
      return {
        title: `The request to ${service} cannot be sent`,
        observed: `the HTTP client refused the request${code}: ${f.message}`,
        fix: `A header value is invalid (a key with a line break or control character): clean up the configured value.`,
      }
    default:
      return {
        title: `${service} at ${where} is unreachable`,
        observed: `request to ${where} failed${code}: ${f.message}`,
        fix: `Check that ${service} runs and that this host can reach ${where}.`,
      }
  }
}

/** Join a base URL and a path the way a person expects (`…/v1` + `/models` → `…/v1/models`). */
export function joinUrl(base: string, path: string): string {
  if (/^https?:\/\//i.test(path)) return path
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`
}

/** The budget for a probe: what is left before the check's deadline, minus room to report the finding. */
export function probeBudget(remainingMs: number, capMs = Number.POSITIVE_INFINITY): number {
  return Math.max(50, Math.min(capMs, remainingMs - 250))
}
