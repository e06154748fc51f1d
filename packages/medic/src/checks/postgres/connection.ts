/**
 * The one PostgreSQL connection the checks of a run share per target, and the read-only way to
 * query it. `postgres.connect` reports a failed connect (unreachable, auth-failed, ...); every
 * other check calls `requireSession`, which skips with a pointer to it, so a dead server yields one
 * finding rather than one per check.
 */
// The driver is loaded on the first connect: importing it costs start-up time for every medic command.
import type pg from 'pg'
import type { CheckContext } from '../../engine/check.js'
import { classifyPgError, type PgEndpoint, type PgFailure } from './classify.js'

export const MEDIC_APP_NAME = 'medic'
export const CONNECT_CHECK_ID = 'postgres.connect'

export interface PgSession {
  client: pg.Client
  endpoint: PgEndpoint
  /** server_version_num, e.g. 150020. */
  versionNum: number
  version: string
  /** medic's own backend, excluded from activity checks. */
  pid: number
  superuser: boolean
  /** Member of pg_read_all_stats (or superuser): sees other roles' queries and states. */
  readAllStats: boolean
  connectMs: number
  /** Serialises transactions of concurrent checks on the one client. */
  queue: Promise<unknown>
}

export type PgConnection = { ok: true; session: PgSession } | { ok: false; failure: PgFailure; connectMs: number; budgetMs: number }

/** Host, port, database and user from the DSN (never the password). */
export function endpointOf(url: string): PgEndpoint {
  try {
    const u = new URL(url)
    const user = decodeURIComponent(u.username) || process.env.PGUSER || process.env.USER || 'postgres'
    const socketHost = u.searchParams.get('host')
    return {
      host: decodeURIComponent(u.hostname) || socketHost || 'localhost',
      port: Number(u.port || u.searchParams.get('port') || 5432),
      database: decodeURIComponent(u.pathname.replace(/^\//, '')) || user,
      user,
    }
  } catch {
    return { host: 'localhost', port: 5432, database: 'postgres', user: 'postgres' }
  }
}

/** The DSN without its password, for commands a person can paste (psql asks for the password). */
export function psqlUrl(url: string): string {
  try {
    const u = new URL(url)
    u.password = ''
    for (const k of [...u.searchParams.keys()]) if (/pass|secret|token|key/i.test(k)) u.searchParams.delete(k)
    return u.toString()
  } catch {
    return 'postgres://...'
  }
}

/** `psql "<url without password>" -c "<sql>"`: SQL must not contain double quotes. */
export function psql(ctx: CheckContext, sql: string): string {
  return `psql "${psqlUrl(String(ctx.target.options.url))}" -c "${sql}"`
}

function destroy(client: pg.Client): void {
  const stream = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream
  stream?.destroy()
}

/**
 * The DSN as the driver should see it. sslmode gets libpq's meaning (require = encrypted, not
 * verified), as in the apps medic diagnoses (libpq, psycopg, JDBC), instead of node-postgres'
 * "every mode is verify-full"; otherwise medic would report a TLS failure the app does not have.
 */
export function driverUrl(url: string, sslmode?: string): string {
  try {
    const u = new URL(url)
    if (sslmode) u.searchParams.set('sslmode', sslmode)
    if (u.searchParams.has('sslmode') && !u.searchParams.has('uselibpqcompat')) u.searchParams.set('uselibpqcompat', 'true')
    return u.toString()
  } catch {
    return url
  }
}

async function attempt(ctx: CheckContext, url: string, budgetMs: number): Promise<pg.Client> {
  let client: pg.Client | undefined
  const onAbort = () => client && destroy(client)
  ctx.signal.addEventListener('abort', onAbort, { once: true })
  try {
    const { default: pgLib } = await import('pg')
    ctx.signal.throwIfAborted()
    client = new pgLib.Client({ connectionString: url, application_name: MEDIC_APP_NAME, connectionTimeoutMillis: budgetMs })
    // A server that dies after the connect must surface as a failed query, never as an unhandled 'error'.
    client.on('error', () => {})
    await client.connect()
    return client
  } catch (err) {
    if (client) {
      destroy(client)
      client.end().catch(() => {})
    }
    throw err
  } finally {
    ctx.signal.removeEventListener('abort', onAbort)
  }
}

async function connect(ctx: CheckContext): Promise<PgConnection> {
  const url = String(ctx.target.options.url)
  const endpoint = endpointOf(url)
  // Leave a little of the deadline so the classified finding is reported before the runner gives up.
  const budgetMs = Math.max(200, Math.floor(ctx.remainingMs() - 300))
  const started = performance.now()
  const sslmode = new URL(url, 'postgres://x').searchParams.get('sslmode')
  try {
    let client: pg.Client
    try {
      client = await attempt(ctx, driverUrl(url), budgetMs)
    } catch (err) {
      // libpq's prefer/allow fall back to plaintext when the server has no SSL; so does medic.
      if (!(sslmode === 'prefer' || sslmode === 'allow') || !/does not support SSL/i.test(String((err as Error).message))) throw err
      client = await attempt(ctx, driverUrl(url, 'disable'), Math.max(100, Math.floor(ctx.remainingMs() - 300)))
    }
    try {
      const r = await client.query<{ num: string; version: string; pid: number; superuser: boolean; readstats: boolean }>(
        `/* medic */ SELECT current_setting('server_version_num') AS num, version() AS version, pg_backend_pid() AS pid,
           (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
           pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER') AS readstats`,
      )
      const row = r.rows[0]
      return {
        ok: true,
        session: {
          client,
          endpoint,
          versionNum: Number(row.num),
          version: row.version.split(' on ')[0],
          pid: row.pid,
          superuser: row.superuser,
          readAllStats: row.superuser || row.readstats,
          connectMs: Math.round(performance.now() - started),
          queue: Promise.resolve(),
        },
      }
    } catch (err) {
      destroy(client)
      client.end().catch(() => {})
      throw err
    }
  } catch (err) {
    const connectMs = Math.round(performance.now() - started)
    const e = (err as { code?: string }).code
      ? err
      : ctx.signal.aborted
        ? Object.assign(new Error(`no answer before the deadline (${budgetMs} ms)`), { code: 'MEDIC_DEADLINE' })
        : err
    return { ok: false, failure: classifyPgError(e, endpoint), connectMs, budgetMs }
  }
}

/** The shared connection attempt for this target (made once per run, by whichever check asks first). */
export function pgConnection(ctx: CheckContext): Promise<PgConnection> {
  return ctx.shared.get<PgConnection>(
    `pg:${ctx.target.id}`,
    () => connect(ctx),
    async (c) => {
      if (!c.ok) return
      await Promise.race([c.session.client.end().catch(() => {}), new Promise((r) => setTimeout(r, 500).unref())])
      destroy(c.session.client)
    },
  )
}

/** A connected session, or skip: the connect failure is `postgres.connect`'s finding, not ours. */
export async function requireSession(ctx: CheckContext): Promise<PgSession> {
  const c = await pgConnection(ctx)
  if (!c.ok) {
    const e = endpointOf(String(ctx.target.options.url))
    ctx.skip(`no connection to PostgreSQL at ${e.host}:${e.port} (${c.failure.kind}; see ${CONNECT_CHECK_ID})`)
  }
  return c.session
}

/**
 * pg_stat_activity rows that are client sessions. Without pg_read_all_stats, other roles' rows have
 * backend_type NULL; those with a role and a database are client sessions too (background
 * processes have neither).
 */
export const CLIENT_BACKEND_SQL = `(backend_type = 'client backend' OR (backend_type IS NULL AND usesysid IS NOT NULL AND datid IS NOT NULL))`

export type Query = <R extends Record<string, any> = Record<string, any>>(sql: string, params?: unknown[]) => Promise<R[]>

/**
 * Run `fn` in a READ ONLY transaction with statement_timeout and lock_timeout bounded by the
 * deadline, then roll back. Transactions of concurrent checks on the shared client run one at a time.
 */
export async function readOnly<T>(ctx: CheckContext, session: PgSession, fn: (q: Query) => Promise<T>): Promise<T> {
  const previous = session.queue
  let release!: () => void
  session.queue = new Promise<void>((r) => (release = r))
  try {
    await previous
    ctx.signal.throwIfAborted()
    const stmtMs = Math.max(100, Math.floor(ctx.remainingMs() - 200))
    const lockMs = Math.min(stmtMs, 1000)
    // set_config(..., true) is SET LOCAL as a parameterised query: pg_stat_statements keeps one
    // entry for it instead of one per timeout value. The marker lets slow-statements skip medic.
    await session.client.query('/* medic */ BEGIN TRANSACTION READ ONLY')
    try {
      await session.client.query("/* medic */ SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true)", [`${stmtMs}ms`, `${lockMs}ms`])
      const q: Query = async (sql, params) => (await session.client.query({ text: `/* medic */ ${sql}`, values: params as unknown[] })).rows
      return await fn(q)
    } finally {
      await session.client.query('/* medic */ ROLLBACK').catch(() => {})
    }
  } finally {
    release()
  }
}

/** Usable slots for non-superusers: max_connections minus the reserved ones (PG16+ reserved_connections too). */
export async function slotSettings(q: Query): Promise<{ max: number; superuserReserved: number; reserved: number; usable: number }> {
  const rows = await q<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings WHERE name IN ('max_connections', 'superuser_reserved_connections', 'reserved_connections')`,
  )
  const get = (n: string) => Number(rows.find((r) => r.name === n)?.setting ?? 0)
  const max = get('max_connections')
  const superuserReserved = get('superuser_reserved_connections')
  const reserved = get('reserved_connections')
  return { max, superuserReserved, reserved, usable: Math.max(1, max - superuserReserved - reserved) }
}

/** One line of SQL for evidence: whitespace collapsed, password literals masked, truncated. */
export function shortQuery(query: string | null | undefined, max = 120): string {
  if (query == null) return '(not visible)'
  const flat = query
    .replace(/\/\*.*?\*\//gs, ' ')
    .replace(/\s+/g, ' ')
    .replace(/(password\s*(=\s*)?)'(?:[^']|'')*'/gi, "$1'***'")
    .trim()
  if (flat === '') return '(empty)'
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** 75 -> "1 min 15 s", 7300 -> "2 h 1 min". */
export function fmtSeconds(s: number): string {
  const t = Math.max(0, Math.round(s))
  if (t < 60) return `${t} s`
  if (t < 3600) return `${Math.floor(t / 60)} min${t % 60 ? ` ${t % 60} s` : ''}`
  return `${Math.floor(t / 3600)} h${Math.floor((t % 3600) / 60) ? ` ${Math.floor((t % 3600) / 60)} min` : ''}`
}

/** 20000 -> "20 000" (the style of the evidence strings). */
export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US').replace(/,/g, ' ')
}

export function pct(part: number, whole: number, digits = 1): number {
  if (whole <= 0) return 0
  const f = 10 ** digits
  return Math.round((part / whole) * 100 * f) / f
}

/** A note for evidence when medic cannot see other roles' sessions. */
export function visibilityNote(session: PgSession, hidden: number): string | undefined {
  if (session.readAllStats || hidden === 0) return undefined
  return `${hidden} session(s) of other roles are hidden from role "${session.endpoint.user}" (GRANT pg_monitor TO "${session.endpoint.user}" to see them)`
}
