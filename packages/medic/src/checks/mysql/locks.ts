/**
 * mysql.locks: InnoDB transactions waiting for a row lock, each with the thread and statement that
 * waits and the thread and statement (or idle transaction) that blocks it.
 *
 * Where the wait graph lives depends on the server, so it is detected:
 *   MariaDB, MySQL 5.7: information_schema.INNODB_LOCK_WAITS (+ INNODB_LOCKS for the table)
 *   MySQL 8:            performance_schema.data_lock_waits (+ data_locks), what sys.innodb_lock_waits reads
 * and when neither can be read, information_schema.INNODB_TRX still shows who waits (blocker unknown).
 */
import { defineCheck, fillTemplate, type CheckContext } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { duration, maskStatement, query, sessionOrSkip, templateValues, type MysqlSession, type Row } from './client.js'

type Source = 'information_schema.INNODB_LOCK_WAITS' | 'performance_schema.data_lock_waits' | 'information_schema.INNODB_TRX'

const meta = {
  id: 'mysql.locks',
  title: 'MySQL/MariaDB InnoDB lock waits',
  targets: ['mysql' as const],
  description:
    'Finds InnoDB transactions waiting for a lock longer than 2 s and names the blocking thread, its statement (or that it sits idle in an open transaction) and the locked table. Reads INNODB_LOCK_WAITS (MariaDB, MySQL 5.7) or performance_schema.data_lock_waits (MySQL 8).',
  defaults: { minWaitSeconds: 2, maxListed: 5 },
  findings: {
    'mysql.lock-waits': {
      title: 'MySQL/MariaDB transactions are waiting for locks',
      fix: 'The blocking transaction holds row locks the others need. If it is idle (Sleep), the app left a transaction open (a missing commit/rollback, or slow work done inside the transaction): fix that code path. To release the locks now: KILL <blocking thread> (its changes roll back). Keep transactions short, touch rows in the same order everywhere, and index the columns UPDATE/DELETE filter on so fewer rows are locked.',
      commands: [
        '{client} -h {host} -P {port} -u {user} -p -e "SELECT trx_mysql_thread_id, trx_state, trx_started, trx_wait_started, trx_rows_locked, LEFT(trx_query, 200) FROM information_schema.INNODB_TRX ORDER BY trx_started"',
        '{client} -h {host} -P {port} -u {user} -p -e "SHOW ENGINE INNODB STATUS\\G"',
      ],
    },
  },
}

/**
 * trx_wait_started is truncated to the second, so the wait it gives can be up to 1 s too long. On
 * MariaDB the waiting statement's own TIME_MS is another upper bound (a statement runs at least as
 * long as it waits): the smaller of the two is the closer one.
 */
function waitExpr(flavor: string): string {
  const coarse = 'TIMESTAMPDIFF(MICROSECOND, r.trx_wait_started, NOW(6)) / 1000000'
  return flavor === 'mariadb' ? `LEAST(${coarse}, COALESCE(pw.TIME_MS / 1000, ${coarse}))` : coarse
}

function edgeColumns(flavor: string): string {
  return `
  r.trx_mysql_thread_id AS waiting_thread, r.trx_query AS waiting_query, ${waitExpr(flavor)} AS wait_s,
  b.trx_mysql_thread_id AS blocking_thread, b.trx_query AS blocking_query,
  TIMESTAMPDIFF(SECOND, b.trx_started, NOW()) AS blocking_age_s, b.trx_rows_locked AS blocking_rows_locked,
  pw.USER AS waiting_user, SUBSTRING_INDEX(pw.HOST, ':', 1) AS waiting_client,
  pb.USER AS blocking_user, SUBSTRING_INDEX(pb.HOST, ':', 1) AS blocking_client,
  pb.COMMAND AS blocking_command, ${flavor === 'mariadb' ? 'pb.TIME_MS / 1000' : 'pb.TIME'} AS blocking_idle_s`
}

const EDGES: Record<Exclude<Source, 'information_schema.INNODB_TRX'>, (flavor: string) => string> = {
  'information_schema.INNODB_LOCK_WAITS': (flavor) => `SELECT ${edgeColumns(flavor)}, l.lock_table AS lock_table, l.lock_index AS lock_index, l.lock_mode AS lock_mode
      FROM information_schema.INNODB_LOCK_WAITS w
      JOIN information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id
      JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id
      LEFT JOIN information_schema.INNODB_LOCKS l ON l.lock_id = w.requested_lock_id
      LEFT JOIN information_schema.PROCESSLIST pw ON pw.ID = r.trx_mysql_thread_id
      LEFT JOIN information_schema.PROCESSLIST pb ON pb.ID = b.trx_mysql_thread_id
      ORDER BY wait_s DESC LIMIT 50`,
  'performance_schema.data_lock_waits': (flavor) => `SELECT ${edgeColumns(flavor)},
        CONCAT('\`', l.OBJECT_SCHEMA, '\`.\`', l.OBJECT_NAME, '\`') AS lock_table, l.INDEX_NAME AS lock_index, l.LOCK_MODE AS lock_mode
      FROM performance_schema.data_lock_waits w
      JOIN information_schema.INNODB_TRX r ON r.trx_id = w.REQUESTING_ENGINE_TRANSACTION_ID
      JOIN information_schema.INNODB_TRX b ON b.trx_id = w.BLOCKING_ENGINE_TRANSACTION_ID
      LEFT JOIN performance_schema.data_locks l ON l.ENGINE_LOCK_ID = w.REQUESTING_ENGINE_LOCK_ID
      LEFT JOIN information_schema.PROCESSLIST pw ON pw.ID = r.trx_mysql_thread_id
      LEFT JOIN information_schema.PROCESSLIST pb ON pb.ID = b.trx_mysql_thread_id
      ORDER BY wait_s DESC LIMIT 50`,
}

/** Waiters only: always readable with PROCESS, whatever the server. */
const waitersSql = (flavor: string) => `SELECT r.trx_mysql_thread_id AS waiting_thread, r.trx_query AS waiting_query,
    ${waitExpr(flavor)} AS wait_s,
    pw.USER AS waiting_user, SUBSTRING_INDEX(pw.HOST, ':', 1) AS waiting_client
  FROM information_schema.INNODB_TRX r
  LEFT JOIN information_schema.PROCESSLIST pw ON pw.ID = r.trx_mysql_thread_id
  WHERE r.trx_state = 'LOCK WAIT' ORDER BY wait_s DESC LIMIT 50`

/** Which wait-graph table this server has (MariaDB and MySQL 5.7 vs MySQL 8). */
async function detectSource(ctx: CheckContext, s: MysqlSession): Promise<Source> {
  return ctx.shared.get(`mysql:${ctx.target.id}:lock-source`, async () => {
    const rows = await query(
      ctx,
      s,
      `SELECT LOWER(CONCAT(TABLE_SCHEMA, '.', TABLE_NAME)) AS name FROM information_schema.TABLES
        WHERE (TABLE_SCHEMA = 'information_schema' AND TABLE_NAME = 'INNODB_LOCK_WAITS')
           OR (TABLE_SCHEMA = 'performance_schema' AND TABLE_NAME = 'data_lock_waits')`,
    )
    const names = rows.map((r) => String(r.name))
    if (names.includes('information_schema.innodb_lock_waits')) return 'information_schema.INNODB_LOCK_WAITS'
    if (names.includes('performance_schema.data_lock_waits')) return 'performance_schema.data_lock_waits'
    return 'information_schema.INNODB_TRX'
  })
}

const errno = (err: unknown) => (err as { errno?: number }).errno

function who(user: unknown, client: unknown): string {
  return user ? `${user}@${client || 'local'}` : 'unknown client'
}

export default defineCheck({
  meta,
  async run(ctx, o) {
    const s = await sessionOrSkip(ctx)
    const values = templateValues(s.address, s.info.flavor)
    let waiters: Row[]
    try {
      waiters = await query(ctx, s, waitersSql(s.info.flavor))
    } catch (err) {
      // 1227: INNODB_TRX needs PROCESS. A missing privilege is a prerequisite, not a finding.
      if (errno(err) === 1227) return ctx.skip(`reading InnoDB transactions needs the PROCESS privilege: GRANT PROCESS ON *.* TO '${s.address.user}'@'%'`)
      throw err
    }
    const waiting = waiters.filter((w) => Number(w.wait_s) >= o.minWaitSeconds)
    const longest = waiters.length ? Math.max(...waiters.map((w) => Number(w.wait_s))) : 0
    ctx.observe('mysql.lockWaits', waiting.length)
    ctx.observe('mysql.longestLockWaitSeconds', longest)
    if (waiting.length === 0) {
      ctx.ok({
        label: 'lock waits',
        observed: waiters.length ? `${waiters.length} short (longest ${duration(longest)})` : 'no transaction waiting for a lock',
        expected: `none waiting ≥ ${duration(o.minWaitSeconds)}`,
      })
      return
    }

    let source = await detectSource(ctx, s)
    let edges: Row[] = []
    if (source !== 'information_schema.INNODB_TRX') {
      try {
        edges = (await query(ctx, s, EDGES[source](s.info.flavor))).filter((e) => Number(e.wait_s) >= o.minWaitSeconds)
      } catch (err) {
        if (ctx.signal.aborted) throw err
        // No SELECT on performance_schema, or a server variant without these columns: waiters only.
        source = 'information_schema.INNODB_TRX'
      }
    }
    ctx.observe('mysql.lockWaitSource', source)

    const evidence: Evidence[] = []
    if (edges.length > 0) {
      for (const e of edges.slice(0, o.maxListed)) {
        const lock = e.lock_table ? ` for a ${e.lock_mode ?? ''} lock on ${e.lock_table}${e.lock_index ? ` (${e.lock_index})` : ''}` : ''
        evidence.push({
          label: `thread ${e.waiting_thread} waits`,
          observed: `${who(e.waiting_user, e.waiting_client)}, waiting ${duration(Number(e.wait_s))}${lock.replace(/ {2}/g, ' ')}: ${maskStatement(e.waiting_query)}`,
          expected: `no wait ≥ ${duration(o.minWaitSeconds)}`,
        })
        const idle = !e.blocking_query && e.blocking_command === 'Sleep'
        evidence.push({
          label: `blocked by thread ${e.blocking_thread}`,
          observed:
            `${who(e.blocking_user, e.blocking_client)}, transaction open ${duration(Number(e.blocking_age_s))}, ${e.blocking_rows_locked ?? '?'} rows locked, ` +
            (idle
              ? `idle in transaction (Sleep ${duration(Number(e.blocking_idle_s))}): no statement running, the transaction was never committed`
              : `running: ${maskStatement(e.blocking_query)}`),
        })
      }
      if (edges.length > o.maxListed) evidence.push({ label: 'more', observed: `${edges.length - o.maxListed} more waits` })
    } else {
      for (const w of waiting.slice(0, o.maxListed)) {
        evidence.push({
          label: `thread ${w.waiting_thread} waits`,
          observed: `${who(w.waiting_user, w.waiting_client)}, waiting ${duration(Number(w.wait_s))}: ${maskStatement(w.waiting_query)}`,
          expected: `no wait ≥ ${duration(o.minWaitSeconds)}`,
        })
      }
      evidence.push({
        label: 'blocking thread',
        observed: `not visible here (${source === 'information_schema.INNODB_TRX' ? 'no readable lock-wait table' : 'the wait ended meanwhile'}); see SHOW ENGINE INNODB STATUS`,
      })
    }
    const blockers = [...new Set(edges.map((e) => String(e.blocking_thread)))]
    const commands = meta.findings['mysql.lock-waits'].commands.map((c) => fillTemplate(c, values))
    if (source === 'performance_schema.data_lock_waits') {
      commands.unshift(fillTemplate('{client} -h {host} -P {port} -u {user} -p -e "SELECT * FROM sys.innodb_lock_waits\\G"', values))
    }
    ctx.finding('mysql.lock-waits', {
      severity: 'critical',
      title:
        `${waiting.length} MySQL/MariaDB transaction${waiting.length > 1 ? 's' : ''} waiting for a lock (longest ${duration(longest)})` +
        (blockers.length ? `, blocked by thread ${blockers.join(', ')}` : ''),
      evidence,
      commands,
    })
  },
})
