/**
 * One Redis connection per target, shared by every redis.* check of a run, plus the read-only
 * facts they all need (INFO, CONFIG GET), fetched once. `redis.connect` reports why a connection
 * cannot be made; the other checks call `requireSession` and are skipped in that case, so a dead
 * target produces one finding, not ten.
 */
import { connect as netConnect, type Socket } from 'node:net'
import { readFileSync } from 'node:fs'
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls'
// Loaded on first use: importing a driver costs tens of ms at start-up for every command.
import type { Redis, RedisOptions } from 'ioredis'
import type { CheckContext } from '../../engine/check.js'

/** Why a connection could not be made (one word each, used in evidence and observations). */
export type ConnectFailure =
  | 'refused' // nothing listens on the port
  | 'dns' // the host name does not resolve
  | 'timeout' // no TCP (or TLS) connection within the deadline
  | 'no-answer' // TCP accepted but nothing answered PING (not Redis, TLS/plain mismatch, server hung)
  | 'unreachable-network' // no route to the host
  | 'tls' // TLS handshake failed (certificate, protocol)
  | 'closed' // the server closed the connection right away without saying why
  | 'noauth' // the server needs a password and none was given
  | 'wrongpass' // wrong user name or password, or the user is disabled
  | 'denied' // protected mode refuses non-local clients without a password
  | 'maxclients' // maxclients reached: the server refuses new connections
  | 'loading' // the server is loading its dataset and answers nothing else yet
  | 'bad-db' // SELECT of the URL's database failed (index out of range, not allowed)
  | 'other'

export class RedisConnectError extends Error {
  constructor(
    readonly kind: ConnectFailure,
    message: string,
    /** The server's or OS's own words (never holds the password). */
    readonly detail: string,
    readonly elapsedMs: number,
  ) {
    super(message)
    this.name = 'RedisConnectError'
  }
}

/** `INFO` was refused (ACL: the user lacks +info / @dangerous). */
export class InfoRefused extends Error {
  constructor(readonly user: string, readonly detail: string) {
    super(`INFO refused for Redis user "${user}" (${detail})`)
    this.name = 'InfoRefused'
  }
}

export interface RedisEndpoint {
  host: string
  port: number
  user: string | undefined
  password: string | undefined
  db: number
  tls: boolean
}

export interface RedisSession {
  client: Redis
  endpoint: RedisEndpoint
  /** Redis user the session runs as (`default` when the URL names none). */
  user: string
  connectMs: number
  /** PING answered with an error that still proves the server is up (MISCONF, NOPERM). */
  pingError?: string
  /** A password was supplied but the server's default user needs none (AUTH said so; Redis ignores it). */
  passwordIgnored?: boolean
}

/** SELECT of the URL's database was refused (told apart from a failed connection). */
class SelectFailed extends Error {}

/** Host, port, credentials and db from a redis:// or rediss:// URL (already validated by the schema). */
export function endpointOf(url: string): RedisEndpoint {
  const u = new URL(url)
  const tls = u.protocol === 'rediss:'
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls,
  }
}

/** TLS settings of the target (`tls:` in medic.yaml), as node:tls options. */
function tlsOptions(ep: RedisEndpoint, opts: Record<string, unknown>): ConnectionOptions | undefined {
  if (!ep.tls) return undefined
  const t = (opts.tls ?? {}) as { ca?: string; servername?: string; insecure?: boolean }
  const pem = (v: string) => (v.includes('-----BEGIN') ? v : readFileSync(v, 'utf8'))
  return {
    servername: t.servername ?? (/^[\d.:]+$/.test(ep.host) ? undefined : ep.host),
    rejectUnauthorized: !t.insecure,
    ...(t.ca ? { ca: pem(t.ca) } : {}),
  }
}

/** The `redis-cli` prefix a person would type for this target: no password, ever (`--askpass`). */
export function cliPrefix(target: { options: Record<string, unknown> }): string {
  const ep = endpointOf(String(target.options.url))
  const parts = ['redis-cli', '-h', ep.host, '-p', String(ep.port)]
  if (ep.tls) parts.push('--tls')
  if (ep.user) parts.push('--user', ep.user)
  if (ep.password) parts.push('--askpass')
  if (ep.db) parts.push('-n', String(ep.db))
  return parts.join(' ')
}

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref())

/** Reject when `signal` aborts (the check's deadline), so a hung command never hangs a check. */
export function withSignal<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'))
    signal.addEventListener('abort', onAbort, { once: true })
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e) => {
        signal.removeEventListener('abort', onAbort)
        reject(e)
      },
    )
  })
}

const SYSCODE: Record<string, ConnectFailure> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NONAME: 'dns',
  ETIMEDOUT: 'timeout',
  EHOSTUNREACH: 'unreachable-network',
  ENETUNREACH: 'unreachable-network',
  ECONNRESET: 'closed',
  EPIPE: 'closed',
}

/** Classify a server reply error by its prefix (the server's own error codes). */
export function classifyReply(message: string): ConnectFailure | undefined {
  if (/^WRONGPASS|^ERR invalid password|invalid username-password/i.test(message)) return 'wrongpass'
  if (/^NOAUTH/.test(message)) return 'noauth'
  if (/^DENIED/.test(message)) return 'denied'
  if (/max number of clients reached/i.test(message)) return 'maxclients'
  if (/^LOADING/.test(message)) return 'loading'
  return undefined
}

function classifyErrors(errors: Error[]): { kind: ConnectFailure; detail: string } | undefined {
  // A reply from the server says the most; then the OS error codes; then TLS.
  for (const e of errors) {
    const kind = classifyReply(e.message)
    if (kind) return { kind, detail: e.message }
  }
  for (const e of errors) {
    const code = (e as NodeJS.ErrnoException).code ?? ''
    if (SYSCODE[code] && SYSCODE[code] !== 'closed') return { kind: SYSCODE[code], detail: e.message }
    if (/CERT|SSL|TLS|EPROTO|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code) || /certificate|handshake|ssl|tls/i.test(e.message)) {
      return { kind: 'tls', detail: e.message }
    }
  }
  for (const e of errors) {
    const code = (e as NodeJS.ErrnoException).code ?? ''
    if (SYSCODE[code]) return { kind: SYSCODE[code], detail: e.message }
  }
  return undefined
}

/**
 * The server closed the connection without a reply we could match to a command: Redis writes
 * "-ERR max number of clients reached" unprompted and closes. Listen briefly on a raw socket to
 * hear it (the probe is itself one more rejected connection, which is harmless).
 */
async function listenUnprompted(ep: RedisEndpoint, tls: ConnectionOptions | undefined, ms: number): Promise<string> {
  return new Promise((resolve) => {
    let text = ''
    const sock: Socket = tls ? tlsConnect({ host: ep.host, port: ep.port, ...tls }) : netConnect({ host: ep.host, port: ep.port })
    const done = () => {
      clearTimeout(timer)
      sock.destroy()
      resolve(text)
    }
    const timer = setTimeout(done, ms)
    sock.on('data', (d) => {
      text += d.toString('utf8')
      if (text.includes('\r\n')) done()
    })
    sock.on('error', done)
    sock.on('close', done)
  })
}

/** Does a plain TCP connection open within `ms`? */
function tcpConnects(ep: RedisEndpoint, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = netConnect({ host: ep.host, port: ep.port })
    const done = (ok: boolean) => {
      clearTimeout(timer)
      sock.destroy()
      resolve(ok)
    }
    const timer = setTimeout(() => done(false), ms)
    sock.once('connect', () => done(true))
    sock.once('error', () => done(false))
  })
}

/** Connect, authenticate and PING within `budgetMs`; throws RedisConnectError with the reason. */
export async function openSession(target: { options: Record<string, unknown> }, budgetMs: number, signal?: AbortSignal): Promise<RedisSession> {
  const ep = endpointOf(String(target.options.url))
  const tls = tlsOptions(ep, target.options)
  const started = performance.now()
  const budget = Math.max(200, Math.round(budgetMs))
  // AUTH, CLIENT SETNAME and SELECT are sent by us, not by ioredis: it prints its own warnings to
  // stderr (a password the server does not need) and swallows a failed SELECT, so a database index
  // out of range would look healthy while the app gets "ERR DB index is out of range".
  const options: RedisOptions = {
    host: ep.host,
    port: ep.port,
    ...(tls ? { tls } : {}),
    lazyConnect: true,
    enableOfflineQueue: false,
    enableReadyCheck: false, // its INFO would print a warning for ACL users without +info; we PING instead
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    autoResubscribe: false,
    // For TLS this covers the handshake too; keep a little time to tell the two apart afterwards.
    connectTimeout: tls ? Math.max(100, budget - 200) : budget,
  }
  const { Redis: RedisClient } = await import('ioredis')
  const client = new RedisClient(options)
  const errors: Error[] = []
  client.on('error', (e: Error) => errors.push(e))
  const elapsed = () => Math.round(performance.now() - started)
  const fail = (kind: ConnectFailure, detail: string): never => {
    client.disconnect()
    // Protected mode explains itself in a whole paragraph: keep the first two sentences.
    if (kind === 'denied') detail = detail.split(/(?<=\.) /).slice(0, 2).join(' ')
    throw new RedisConnectError(kind, `${kind}: ${detail}`, detail, elapsed())
  }

  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), budget + 50)
  })
  const aborted = new Promise<'timeout'>((resolve) => {
    if (signal?.aborted) resolve('timeout')
    signal?.addEventListener('abort', () => resolve('timeout'), { once: true })
  })
  let passwordIgnored = false
  let pingError: string | undefined
  const attempt = (async () => {
    await client.connect()
    if (ep.password !== undefined) {
      try {
        await client.call('AUTH', ...(ep.user ? [ep.user, ep.password] : [ep.password]))
      } catch (err) {
        // Redis 6+: "AUTH <password> called without any password configured for the default user";
        // Redis 5: "Client sent AUTH, but no password is set". The connection works without it.
        if (!/without any password configured|no password is set/i.test((err as Error).message)) throw err
        passwordIgnored = true
      }
    }
    // The name lets the other checks leave medic's own session out (CLIENT LIST, SLOWLOG).
    client.call('CLIENT', 'SETNAME', 'medic').catch(() => {})
    let reply: string | undefined
    try {
      reply = await client.ping()
    } catch (err) {
      // PING itself is refused (MISCONF on a primary whose last save failed; NOPERM for an ACL
      // user without +ping), yet the server is up and we are authenticated.
      if (!/^MISCONF|^NOPERM/.test((err as Error).message)) throw err
      pingError = (err as Error).message
    }
    if (ep.db) {
      try {
        await client.select(ep.db)
      } catch (err) {
        throw new SelectFailed((err as Error).message)
      }
    }
    return reply ?? ''
  })()
  attempt.catch(() => {})

  let pong: string | undefined
  try {
    const outcome = await Promise.race([attempt, timeout, aborted])
    if (outcome === 'timeout') {
      const known = classifyErrors(errors)
      if (known) fail(known.kind, known.detail)
      // TCP (and TLS) came up but the server never answered: not Redis, a plain/TLS mismatch, or a hung server.
      const up = client.status === 'connect' || client.status === 'ready'
      fail(up ? 'no-answer' : 'timeout', up ? `connected, but no answer to PING within ${budget} ms` : `no connection within ${budget} ms`)
    }
    pong = outcome
  } catch (err) {
    if (err instanceof RedisConnectError) throw err
    const e = err as Error
    errors.unshift(e)
    const reply = classifyReply(e.message)
    if (e instanceof SelectFailed) {
      if (/out of range|invalid DB index/i.test(e.message)) {
        // How many databases there are (CONFIG may be refused to this user: then say less).
        const databases = await Promise.race([
          client.call('CONFIG', 'GET', 'databases').then((r) => (Array.isArray(r) ? String(r[1] ?? '') : '')),
          wait(Math.max(50, budget - elapsed() - 50)).then(() => ''),
        ]).catch(() => '')
        const range = /^\d+$/.test(databases) ? ` (databases = ${databases})` : ''
        fail('bad-db', `database ${ep.db} does not exist${range}: SELECT ${ep.db} answered "${e.message}"`)
      }
      fail('bad-db', `SELECT ${ep.db} refused: ${e.message}`)
    } else if (reply === 'loading') {
      // INFO is served while loading: say how far along it is.
      const progress = await Promise.race([client.info('persistence').then(parseInfo), wait(Math.max(50, budget - elapsed() - 50)).then(() => undefined)]).catch(() => undefined)
      const perc = progress?.loading_loaded_perc
      const eta = progress?.loading_eta_seconds
      fail('loading', perc ? `${e.message} (${perc} % loaded, about ${eta ?? '?'} s left)` : e.message)
    } else if (reply) {
      fail(reply, e.message)
    } else {
      const known = classifyErrors(errors)
      if (known?.kind === 'timeout' && tls && (await tcpConnects(ep, Math.min(150, Math.max(50, budget - elapsed()))))) {
        fail('no-answer', `TCP connects but the TLS handshake did not complete within ${budget} ms (a plain redis:// port?)`)
      }
      if (known && known.kind !== 'closed') fail(known.kind, known.detail)
      const said = await listenUnprompted(ep, tls, Math.min(300, Math.max(50, budget - elapsed())))
      const saidKind = classifyReply(said.replace(/^-/, '').trim())
      if (saidKind) fail(saidKind, said.replace(/^-/, '').trim())
      if (known) fail(known.kind, known.detail)
      fail('other', e.message)
    }
  } finally {
    clearTimeout(timer)
  }
  if (pong !== undefined && pong !== 'PONG' && !pingError) fail('other', `PING answered "${pong}"`)
  return { client, endpoint: ep, user: ep.user ?? 'default', connectMs: elapsed(), pingError, passwordIgnored }
}

const SESSION = (id: string) => `redis:session:${id}`

/** The shared session of this target (created by whichever redis.* check asks first). */
export function getSession(ctx: CheckContext): Promise<RedisSession> {
  return ctx.shared.get(
    SESSION(ctx.target.id),
    () => openSession(ctx.target, ctx.remainingMs() - 400, ctx.signal),
    (s) => {
      s.client.disconnect()
    },
  )
}

/** The session, or skip this check: `redis.connect` reports the failure once. */
export async function requireSession(ctx: CheckContext): Promise<RedisSession> {
  try {
    return await getSession(ctx)
  } catch (err) {
    const kind = err instanceof RedisConnectError ? err.kind : 'unknown'
    // A missing database is said in full: "bad-db" alone would not tell the user what to change.
    const why = err instanceof RedisConnectError && kind === 'bad-db' ? err.detail.split(': SELECT')[0] : kind
    return ctx.skip(`${ctx.target.address} cannot be used (${why}; see redis.connect)`)
  }
}

export type Info = Record<string, string>

/** Parse INFO text into `field -> value` (sections flattened; field names are unique across sections). */
export function parseInfo(text: string): Info {
  const out: Info = {}
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue
    const i = line.indexOf(':')
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1)
  }
  return out
}

export interface InfoSnapshot {
  info: Info
  /** performance.now() when the reply arrived. */
  at: number
}

async function fetchInfo(s: RedisSession, signal: AbortSignal): Promise<InfoSnapshot> {
  try {
    const text = await withSignal(s.client.info(), signal)
    return { info: parseInfo(text), at: performance.now() }
  } catch (err) {
    const msg = (err as Error).message
    if (/^NOPERM|^ERR unknown command/i.test(msg)) throw new InfoRefused(s.user, msg)
    throw err
  }
}

/** INFO (default sections), once per run and target. */
export function getInfo(ctx: CheckContext, s: RedisSession): Promise<InfoSnapshot> {
  return ctx.shared.get(`redis:info:${ctx.target.id}`, () => fetchInfo(s, ctx.signal))
}

/** INFO, or skip this check saying which facts are unknown when the ACL refuses it. */
export async function requireInfo(ctx: CheckContext, s: RedisSession, facts: string): Promise<InfoSnapshot> {
  try {
    return await getInfo(ctx, s)
  } catch (err) {
    if (err instanceof InfoRefused) return ctx.skip(`${err.message}: ${facts} unknown`)
    throw err
  }
}

/**
 * A second INFO taken `windowMs` after the first, shared by the checks that watch counters over
 * a window (evictions, blocked clients), so the run waits once, not once per check.
 */
export function getWindow(ctx: CheckContext, s: RedisSession, windowMs: number): Promise<{ before: InfoSnapshot; after: InfoSnapshot }> {
  return ctx.shared.get(`redis:window:${ctx.target.id}:${windowMs}`, async () => {
    const before = await getInfo(ctx, s)
    // Keep the window inside the deadline, leaving room for the second INFO.
    const room = Math.max(0, Math.min(windowMs, ctx.remainingMs() - 500))
    const left = room - (performance.now() - before.at)
    if (left > 0) await withSignal(wait(left), ctx.signal)
    const after = await fetchInfo(s, ctx.signal)
    return { before, after }
  })
}

/** A CONFIG GET value, `undefined` with `refused` set when CONFIG is not allowed (ACL, renamed command, managed Redis). */
export interface ConfigValue {
  value?: string
  refused?: string
}

export function getConfig(ctx: CheckContext, s: RedisSession, name: string): Promise<ConfigValue> {
  return ctx.shared.get(`redis:config:${ctx.target.id}:${name}`, async () => {
    try {
      const reply = (await withSignal(s.client.call('CONFIG', 'GET', name), ctx.signal)) as unknown
      const arr = Array.isArray(reply) ? (reply as string[]) : []
      const i = arr.findIndex((v, j) => j % 2 === 0 && v === name)
      return i >= 0 ? { value: String(arr[i + 1]) } : { refused: `CONFIG GET ${name} returned nothing` }
    } catch (err) {
      return { refused: (err as Error).message.split('\n')[0] }
    }
  })
}

/** `int` of an INFO field, or undefined when absent (older versions lack some fields). */
export function num(info: Info, field: string): number | undefined {
  const v = info[field]
  if (v === undefined || v === '') return undefined
  const n = Number(v)
  return Number.isFinite(n) ? n : undefined
}

/** 1048576 -> "1.00 MB" (binary units, as Redis itself counts). */
export function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let v = n
  let i = 0
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return i === 0 ? `${v} B` : `${v.toFixed(2)} ${units[i]}`
}

export function pct(part: number, whole: number): number {
  return whole > 0 ? (part / whole) * 100 : 0
}

export function fmtPct(p: number): string {
  if (p > 0 && p < 0.1) return '< 0.1 %'
  return p >= 10 || Number.isInteger(p) ? `${Math.round(p)} %` : `${p.toFixed(1)} %`
}

/** Commands of a finding with `{cli}` filled in for this target. */
export function commandsOf(templates: string[] | undefined, ctx: CheckContext): string[] {
  const cli = cliPrefix(ctx.target)
  return (templates ?? []).map((t) => t.replaceAll('{cli}', cli))
}
