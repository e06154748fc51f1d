/**
 * auth.jwt.subjectQuery: ask the app's PostgreSQL whether a token's subject is active, read-only.
 * `SELECT is_active FROM users WHERE id = $1` with $1 = sub. No row means the account is missing;
 * a first column that is false, 0, 'f', 'inactive', 'disabled', 'blocked' or NULL means inactive.
 */
import type pg from 'pg'
import type { SubjectState } from './analyze.js'
import { safeJson } from './token.js'

const INACTIVE = /^(f|false|0|no|n|inactive|disabled|blocked|banned|suspended|deleted|locked)$/i

/** Interpret the first row of the answer. */
export function subjectStateOf(rows: Record<string, unknown>[], fields: string[]): SubjectState {
  if (rows.length === 0) return { found: false, active: false, detail: 'the query returned no row' }
  const column = fields[0] ?? '?'
  const v = rows[0][column]
  const shown = v === null ? 'NULL' : v instanceof Date ? v.toISOString() : safeJson(v, 60)
  const inactive = v === null || v === false || v === 0 || (typeof v === 'string' && INACTIVE.test(v.trim()))
  // A timestamp column such as deleted_at / disabled_at: set means inactive.
  const tombstone = /(deleted|disabled|banned|locked|suspended)_?(at|on)$/i.test(column)
  if (tombstone) return { found: true, active: v === null, detail: `${column} = ${shown}` }
  return { found: true, active: !inactive, detail: `${column} = ${shown}` }
}

export interface SubjectLookup {
  lookup(sub: string): Promise<SubjectState>
  close(): Promise<void>
}

/** One client for the whole run; each lookup in its own READ ONLY transaction with timeouts. */
export function pgSubjectLookup(url: string, sql: string, opts: { timeoutMs: number }): SubjectLookup {
  const timeout = Math.max(100, Math.floor(opts.timeoutMs))
  let client: pg.Client | undefined
  let connected: Promise<void> | undefined
  let chain: Promise<unknown> = Promise.resolve()
  // pg is loaded on the first lookup, not at every medic start-up.
  const open = async () => {
    const { default: pgLib } = await import('pg')
    client = new pgLib.Client({
      connectionString: url,
      application_name: 'medic',
      connectionTimeoutMillis: timeout,
      statement_timeout: timeout,
      query_timeout: timeout + 500,
    })
    client.on('error', () => {})
    await client.connect()
  }
  const run = async (sub: string): Promise<SubjectState> => {
    connected ??= open()
    await connected
    const c = client!
    await c.query('BEGIN READ ONLY')
    try {
      await c.query(`SET LOCAL statement_timeout = ${timeout}`)
      await c.query(`SET LOCAL lock_timeout = ${Math.min(timeout, 1000)}`)
      const res = await c.query(sql, [sub])
      return subjectStateOf(res.rows as Record<string, unknown>[], res.fields.map((f) => f.name))
    } finally {
      await c.query('ROLLBACK').catch(() => {})
    }
  }
  return {
    lookup(sub) {
      // One connection: queries run one after another.
      const p = chain.then(() => run(sub))
      chain = p.catch(() => {})
      return p
    },
    async close() {
      if (!client) return
      await Promise.race([client.end().catch(() => {}), new Promise((r) => setTimeout(r, 1000).unref())])
    },
  }
}
