/**
 * Reading a migration table through the datastore families' shared connections: PostgreSQL via
 * postgres/connection.ts (READ ONLY transaction, statement_timeout, lock_timeout), MySQL/MariaDB via
 * mysql/client.ts (read-only session with a statement time limit). A target that cannot be reached
 * makes the check skip with a pointer to the connect check, which owns that finding.
 */
import type { CheckContext } from '../../engine/check.js'
import { psql, readOnly, requireSession } from '../postgres/connection.js'
import { addressOf, clientCommand, query as mysqlQuery, sessionOrSkip } from '../mysql/client.js'

export type Row = Record<string, unknown>

export interface TableRead {
  /** false when the table does not exist (nothing was ever migrated, or another schema/database). */
  exists: boolean
  rows: Row[]
}

/** Table names come from our own data (tools.ts), never from the config: safe to inline. */
export async function readTable(ctx: CheckContext, table: string, select: string): Promise<TableRead> {
  if (ctx.target.kind === 'postgres') {
    const session = await requireSession(ctx)
    return readOnly(ctx, session, async (q) => {
      const [{ present }] = await q<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [table])
      if (!present) return { exists: false, rows: [] }
      return { exists: true, rows: await q(select) }
    })
  }
  if (ctx.target.kind === 'mysql') {
    const session = await sessionOrSkip(ctx)
    const [{ n }] = (await mysqlQuery(ctx, session, 'SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?', [table])) as { n: number }[]
    if (Number(n) === 0) return { exists: false, rows: [] }
    return { exists: true, rows: await mysqlQuery(ctx, session, select) }
  }
  ctx.skip(`migrations are read from postgres and mysql targets, not ${ctx.target.kind}`)
}

/** The command a person runs to read the same table (no password in it). */
export function tableCommand(ctx: CheckContext, sql: string): string {
  if (ctx.target.kind === 'postgres') return psql(ctx, sql)
  return clientCommand(addressOf(ctx), undefined, sql)
}
