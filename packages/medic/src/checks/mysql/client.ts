/**
 * The one connection medic opens to a MySQL/MariaDB target, shared by every mysql.* check of a run.
 *
 * - The connect timeout comes from the check's deadline, and an abort destroys the socket, so a
 *   blackholed port ends by the deadline instead of hanging.
 * - The session is read-only (`SET SESSION TRANSACTION READ ONLY`) with a statement time limit
 *   (MariaDB `max_statement_time`, MySQL `max_execution_time`) and a short `lock_wait_timeout`.
 * - Every statement starts with the marker comment `/* medic *\/` and medic's own thread id
 *   (`CONNECTION_ID()`) is known, so the processlist checks leave medic out.
 * - A failed connect is remembered for the run: `mysql.connect` reports it once, the other checks
 *   skip with a pointer to it.
 */
import { lookup } from 'node:dns/promises'
import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
// The driver is loaded on the first connect: importing it costs start-up time for every medic command.
import type mysqlCore from 'mysql2'
import type { Connection as PromiseConnection } from 'mysql2/promise'
import type { CheckContext } from '../../engine/check.js'
import { reasonOf } from '../../engine/errors.js'
import { classifyConnectError, type ConnectFailure } from './errors.js'

/** Marker prefixed to every statement medic sends, so other medic runs are excluded too. */
export const MARKER = '/* medic */'

export interface MysqlAddress {
  host: string
  port: number
  user: string
  password?: string
  database?: string
  socketPath?: string
  /** REQUIRED: encrypted, not verified; VERIFY_CA: trusted chain; VERIFY_IDENTITY (or ssl=true): chain and host name. */
  ssl?: { rejectUnauthorized: boolean; verifyIdentity?: boolean; caPath?: string }
}

export interface ServerInfo {
  version: string
  flavor: 'mariadb' | 'mysql'
  /** medic's own thread id on the server. */
  connectionId: number
  /** Which per-statement time limit the session runs under, if any. */
  statementLimit: 'max_statement_time' | 'max_execution_time' | null
  connectMs: number
  /** TLS protocol of the session (`TLSv1.3`) when the DSN asked for TLS. */
  tls?: string
}

export interface MysqlSession {
  conn: PromiseConnection
  info: ServerInfo
  address: MysqlAddress
}

/** The connect failed: the classified reason travels with the error so every check sees the same one. */
export class MysqlConnectError extends Error {
  constructor(readonly failure: ConnectFailure, override readonly cause: unknown) {
    super(failure.summary)
    this.name = 'MysqlConnectError'
  }
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}

/** mysql://user:password@host:port/database?ssl-mode=REQUIRED&ssl-ca=/path&socket=/path. The schema already refused malformed URLs. */
export function parseMysqlUrl(url: string): MysqlAddress {
  const u = new URL(url)
  const mode = (u.searchParams.get('ssl-mode') ?? u.searchParams.get('sslmode') ?? u.searchParams.get('ssl') ?? '').toUpperCase()
  let ssl: MysqlAddress['ssl']
  // PREFERRED (TLS if offered) cannot fall back in mysql2: treated as plain, like a server without TLS.
  const caPath = u.searchParams.get('ssl-ca') ?? u.searchParams.get('sslca') ?? undefined
  if (['REQUIRED', 'REQUIRE'].includes(mode)) ssl = { rejectUnauthorized: false }
  else if (['VERIFY_CA', 'VERIFY-CA'].includes(mode)) ssl = { rejectUnauthorized: true }
  else if (['TRUE', '1', 'VERIFY_IDENTITY', 'VERIFY-FULL'].includes(mode) || (caPath && !mode)) ssl = { rejectUnauthorized: true, verifyIdentity: true }
  if (ssl && caPath) ssl.caPath = caPath
  const database = decode(u.pathname.replace(/^\//, ''))
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost',
    port: u.port ? Number(u.port) : 3306,
    user: decode(u.username),
    ...(u.password ? { password: decode(u.password) } : {}),
    ...(database ? { database } : {}),
    ...(u.searchParams.get('socket') ? { socketPath: u.searchParams.get('socket')! } : {}),
    ...(ssl ? { ssl } : {}),
  }
}

export function addressOf(ctx: CheckContext): MysqlAddress {
  return parseMysqlUrl(String(ctx.target.options.url))
}

/** The client people have: `mariadb` for MariaDB, `mysql` otherwise (it exists on both). */
export function clientCommand(a: MysqlAddress, flavor: ServerInfo['flavor'] | undefined, sql: string, o: { database?: boolean } = {}): string {
  const bin = flavor === 'mariadb' ? 'mariadb' : 'mysql'
  const where = a.socketPath ? `-S ${a.socketPath}` : `-h ${a.host} -P ${a.port}`
  const db = o.database !== false && a.database ? ` ${a.database}` : ''
  return `${bin} ${where} -u ${a.user}${a.password ? ' -p' : ''}${db} -e "${sql.replace(/"/g, '\\"')}"`
}

/** Placeholder values for the command templates in `meta.findings`. */
export function templateValues(a: MysqlAddress, flavor?: ServerInfo['flavor']): Record<string, string | number> {
  return {
    client: flavor === 'mariadb' ? 'mariadb' : 'mysql',
    admin: flavor === 'mariadb' ? 'mariadb-admin' : 'mysqladmin',
    host: a.host,
    port: a.port,
    user: a.user,
    database: a.database ?? '',
  }
}

/** Reject with the signal's reason when it aborts first; `onAbort` releases what the promise holds. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, onAbort: () => void): Promise<T> {
  if (signal.aborted) {
    onAbort()
    return Promise.reject(signal.reason ?? new Error('aborted'))
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort()
      reject(signal.reason ?? new Error('aborted'))
    }
    signal.addEventListener('abort', abort, { once: true })
    promise.then(
      (v) => {
        signal.removeEventListener('abort', abort)
        resolve(v)
      },
      (e) => {
        signal.removeEventListener('abort', abort)
        reject(e)
      },
    )
  })
}

/** The CA file named by ssl-ca; an unreadable one is a setup problem, said plainly. */
function readCa(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    throw new Error(`cannot read the ssl-ca file ${path} named in the DSN: ${(err as NodeJS.ErrnoException).code ?? reasonOf(err)}`)
  }
}

/** Leave a little of the deadline to report what happened. */
const REPORT_MARGIN_MS = 150

/** Open and prepare one connection. Throws MysqlConnectError with the classified failure. */
export async function openSession(ctx: CheckContext, a: MysqlAddress, o: { database?: boolean } = {}): Promise<MysqlSession> {
  const started = performance.now()
  const connectTimeout = Math.max(100, Math.floor(ctx.remainingMs() - REPORT_MARGIN_MS))
  const { default: mysqlLib } = (await import('mysql2')) as { default: typeof mysqlCore }
  ctx.signal.throwIfAborted()
  const raw = mysqlLib.createConnection({
    host: a.host,
    port: a.port,
    user: a.user,
    password: a.password,
    database: o.database === false ? undefined : a.database,
    socketPath: a.socketPath,
    ssl: a.ssl && {
      rejectUnauthorized: a.ssl.rejectUnauthorized,
      verifyIdentity: a.ssl.verifyIdentity ?? false,
      ...(a.ssl.caPath ? { ca: readCa(a.ssl.caPath) } : {}),
    },
    connectTimeout,
    // Seen in performance_schema.session_connect_attrs (MySQL, MariaDB with P_S on).
    connectAttributes: { program_name: 'medic' },
    supportBigNumbers: true,
    bigNumberStrings: false,
    dateStrings: true,
    multipleStatements: false,
  })
  let tcpOpen = false
  ;(raw as unknown as { stream?: NodeJS.EventEmitter }).stream?.once('connect', () => (tcpOpen = true))
  // A fatal error after connect (server gone) must not crash medic; queries see it as a rejection.
  raw.on('error', () => {})
  const handshake = new Promise<void>((resolve, reject) => {
    raw.once('connect', () => resolve())
    raw.once('error', reject)
  })
  try {
    await raceAbort(handshake, ctx.signal, () => raw.destroy())
  } catch (err) {
    raw.destroy()
    const elapsedMs = Math.round(performance.now() - started)
    const failure = classifyConnectError(err, { address: a, tcpOpen, elapsedMs, aborted: ctx.signal.aborted })
    if (failure.reason === 'dns' || (failure.finding === 'mysql.unreachable' && failure.reason !== 'timeout')) {
      await describeHost(a.host, failure, ctx)
    }
    throw new MysqlConnectError(failure, err)
  }
  const conn = raw.promise()
  try {
    const [rows] = await raceAbort(
      conn.query(`${MARKER} SELECT VERSION() AS version, @@version_comment AS comment, CONNECTION_ID() AS id`),
      ctx.signal,
      () => raw.destroy(),
    )
    const row = (rows as Record<string, unknown>[])[0] ?? {}
    const version = String(row.version ?? '')
    const flavor: ServerInfo['flavor'] = /mariadb/i.test(`${version} ${row.comment ?? ''}`) ? 'mariadb' : 'mysql'
    await raceAbort(conn.query(`${MARKER} SET SESSION TRANSACTION READ ONLY`), ctx.signal, () => raw.destroy())
    // Whole seconds are enough: the check's own deadline is the real bound.
    const limitSeconds = Math.max(1, Math.ceil(ctx.config.timeoutMs / 1000))
    let statementLimit: ServerInfo['statementLimit'] = null
    const limit =
      flavor === 'mariadb'
        ? { name: 'max_statement_time' as const, sql: `SET SESSION max_statement_time = ${limitSeconds}` }
        : { name: 'max_execution_time' as const, sql: `SET SESSION max_execution_time = ${limitSeconds * 1000}` }
    try {
      await raceAbort(conn.query(`${MARKER} ${limit.sql}`), ctx.signal, () => raw.destroy())
      statementLimit = limit.name
    } catch (err) {
      if (ctx.signal.aborted) throw err
      // Older servers (MariaDB < 10.1, MySQL < 5.7.8) have no such variable: the deadline still bounds us.
    }
    await raceAbort(conn.query(`${MARKER} SET SESSION lock_wait_timeout = 2`), ctx.signal, () => raw.destroy())
    let tls: string | undefined
    if (a.ssl) {
      const [ssl] = await raceAbort(conn.query(`${MARKER} SHOW SESSION STATUS LIKE 'Ssl_version'`), ctx.signal, () => raw.destroy())
      tls = String((ssl as Record<string, unknown>[])[0]?.Value ?? '') || undefined
    }
    return {
      conn,
      address: a,
      info: { version, flavor, connectionId: Number(row.id), statementLimit, connectMs: Math.round(performance.now() - started), ...(tls ? { tls } : {}) },
    }
  } catch (err) {
    raw.destroy()
    throw err
  }
}

/** For DNS and network failures, say what the name resolves to (or that it does not). */
async function describeHost(host: string, failure: ConnectFailure, ctx: CheckContext): Promise<void> {
  if (isIP(host) || host === 'localhost') {
    failure.hostResolves = true
    return
  }
  if (failure.reason === 'dns') {
    failure.hostResolves = false
    return
  }
  const budget = ctx.remainingMs() - REPORT_MARGIN_MS
  if (budget < 50) return
  let timer: NodeJS.Timeout | undefined
  try {
    const addrs = await Promise.race([
      lookup(host, { all: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('lookup timed out')), budget)
      }),
    ])
    failure.hostResolves = true
    failure.resolvedTo = addrs.map((x) => x.address)
  } catch {
    // Unknown: leave it unset rather than guess.
  } finally {
    clearTimeout(timer)
  }
}

async function closeSession(s: MysqlSession): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    s.conn.end().catch(() => {}),
    new Promise<void>((r) => {
      timer = setTimeout(r, 300)
    }),
  ])
  clearTimeout(timer)
  s.conn.destroy()
}

/** The run's shared session for this target (created by whichever check asks first). */
export function sharedSession(ctx: CheckContext): Promise<MysqlSession> {
  return ctx.shared.get(`mysql:${ctx.target.id}`, () => openSession(ctx, addressOf(ctx)), closeSession)
}

/** The shared session, or skip: `mysql.connect` owns the connect failure, so a dead target gives one finding. */
export async function sessionOrSkip(ctx: CheckContext): Promise<MysqlSession> {
  try {
    return await sharedSession(ctx)
  } catch (err) {
    ctx.skip(`cannot connect: ${err instanceof MysqlConnectError ? err.failure.summary : reasonOf(err)} (see mysql.connect)`)
  }
}

export type Row = Record<string, unknown>

/** Run one read-only statement on the session; the check's abort destroys the connection mid-query. */
export async function query(ctx: CheckContext, s: MysqlSession, sql: string, values?: unknown[]): Promise<Row[]> {
  const [rows] = await raceAbort(s.conn.query(`${MARKER} ${sql}`, values), ctx.signal, () => s.conn.destroy())
  return rows as Row[]
}

/** `SHOW GLOBAL STATUS` / `SHOW GLOBAL VARIABLES` as maps, fetched once per run and target. */
export function globalStatus(ctx: CheckContext, s: MysqlSession): Promise<Map<string, string>> {
  return ctx.shared.get(`mysql:${ctx.target.id}:status`, async () => toMap(await query(ctx, s, 'SHOW GLOBAL STATUS')))
}

export function globalVariables(ctx: CheckContext, s: MysqlSession): Promise<Map<string, string>> {
  return ctx.shared.get(`mysql:${ctx.target.id}:variables`, async () => toMap(await query(ctx, s, 'SHOW GLOBAL VARIABLES')))
}

function toMap(rows: Row[]): Map<string, string> {
  const m = new Map<string, string>()
  for (const r of rows) m.set(String(r.Variable_name).toLowerCase(), String(r.Value ?? ''))
  return m
}

/** A numeric status/variable, or undefined when the server does not have it. */
export function num(m: Map<string, string>, name: string): number | undefined {
  const v = m.get(name.toLowerCase())
  if (v === undefined || v === '') return undefined
  const n = Number(v)
  return Number.isFinite(n) ? n : undefined
}

/** Percent with one decimal below 10, whole above: `3.4`, `97`. */
export function pct(part: number, whole: number): number {
  if (whole <= 0) return 0
  const p = (100 * part) / whole
  return p < 10 ? Math.round(p * 10) / 10 : Math.round(p)
}

/**
 * Statement text for evidence: string literals and long numbers masked (they may hold personal data
 * or secrets), whitespace folded, cut to `max` characters.
 */
export function maskStatement(sql: unknown, max = 160): string {
  if (sql === null || sql === undefined || sql === '') return '(no statement)'
  const text = String(sql)
    .replace(/'(?:[^'\\]|\\.|'')*'/g, "'?'")
    .replace(/"(?:[^"\\]|\\.|"")*"/g, '"?"')
    .replace(/\b0x[0-9a-f]{8,}\b/gi, '0x?')
    .replace(/\b\d{6,}\b/g, '?')
    .replace(/\s+/g, ' ')
    .trim()
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** `12 s`, `4 min 05 s`, `2 h 03 min`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s} s`
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s` : `${s / 60} min`
  const m = Math.floor((s % 3600) / 60)
  return m ? `${Math.floor(s / 3600)} h ${String(m).padStart(2, '0')} min` : `${Math.floor(s / 3600)} h`
}
