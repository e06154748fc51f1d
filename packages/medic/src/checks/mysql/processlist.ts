/**
 * mysql.processlist: statements running longer than `warningSeconds` (critical beyond
 * `criticalSeconds`), from information_schema.PROCESSLIST. Idle connections (Sleep), server and
 * replication threads, and medic's own statements are left out.
 */
import { defineCheck, fillTemplate } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { duration, MARKER, maskStatement, query, sessionOrSkip, templateValues, type MysqlSession, type Row } from './client.js'
import type { CheckContext } from '../../engine/check.js'

/** Threads that are not client statements. */
const NOT_QUERIES = ['Sleep', 'Daemon', 'Binlog Dump', 'Binlog Dump GTID', 'Slave_IO', 'Slave_SQL', 'Slave_worker', 'Delayed insert', 'Killed']
const SYSTEM_USERS = ['system user', 'event_scheduler', 'unauthenticated user']

const meta = {
  id: 'mysql.processlist',
  title: 'MySQL/MariaDB long-running statements',
  targets: ['mysql' as const],
  description:
    'Lists statements that have been running longer than 60 s (critical beyond 5 min) in information_schema.PROCESSLIST, with thread id, user, client, time, state and the statement (literals masked).',
  defaults: { warningSeconds: 60, criticalSeconds: 300, maxListed: 5 },
  findings: {
    'mysql.long-running-queries': {
      title: 'MySQL/MariaDB statements running for a long time',
      fix: 'Look at the statement: EXPLAIN it for a missing index or a full scan, and check whether it waits on a lock (state "Waiting for ... lock"). To stop one without dropping the connection: KILL QUERY <thread id>. Bound runaway statements for the app user with max_statement_time (MariaDB) or max_execution_time (MySQL).',
      commands: [
        '{client} -h {host} -P {port} -u {user} -p -e "SELECT id, user, host, db, command, time, state, LEFT(info, 200) AS info FROM information_schema.PROCESSLIST WHERE command <> \'Sleep\' ORDER BY time DESC"',
        '{client} -h {host} -P {port} -u {user} -p -e "SHOW FULL PROCESSLIST"',
      ],
    },
  },
}

/** Whether this account sees every thread (PROCESS) or only its own. */
export async function hasProcessPrivilege(ctx: CheckContext, s: MysqlSession): Promise<boolean> {
  return ctx.shared.get(`mysql:${ctx.target.id}:process-privilege`, async () => {
    const rows = await query(ctx, s, "SELECT COUNT(*) AS n FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE IN ('PROCESS', 'SUPER')")
    return Number(rows[0]?.n ?? 0) > 0
  })
}

export default defineCheck({
  meta,
  async run(ctx, o) {
    const s = await sessionOrSkip(ctx)
    const values = templateValues(s.address, s.info.flavor)
    // MariaDB has TIME_MS (sub-second); MySQL only whole seconds.
    const time = s.info.flavor === 'mariadb' ? 'TIME_MS / 1000' : 'TIME'
    const list = (xs: string[]) => xs.map((x) => `'${x}'`).join(', ')
    const [rows, privileged] = await Promise.all([
      query(
        ctx,
        s,
        `SELECT ID AS id, USER AS user, SUBSTRING_INDEX(HOST, ':', 1) AS client, DB AS db, COMMAND AS command,
                ${time} AS seconds, STATE AS state, LEFT(INFO, 2000) AS info
           FROM information_schema.PROCESSLIST
          WHERE ID <> CONNECTION_ID() AND COMMAND NOT IN (${list(NOT_QUERIES)}) AND USER NOT IN (${list(SYSTEM_USERS)})
            AND (INFO IS NULL OR INFO NOT LIKE ?)
          ORDER BY seconds DESC LIMIT 200`,
        [`${MARKER}%`],
      ),
      hasProcessPrivilege(ctx, s),
    ])
    const active: (Row & { seconds: number })[] = rows.map((r) => Object.assign({}, r, { seconds: Number(r.seconds) }))
    const long = active.filter((r) => r.seconds >= o.warningSeconds)
    const longest = active[0]?.seconds ?? 0

    ctx.observe('mysql.activeQueries', active.length)
    ctx.observe('mysql.longQueries', long.length)
    ctx.observe('mysql.longestQuerySeconds', Math.round(longest * 10) / 10)
    ctx.observe('mysql.processPrivilege', privileged)

    const scope: Evidence[] = privileged
      ? []
      : [{ label: 'visibility', observed: `only threads of ${s.address.user} are visible (no PROCESS privilege)`, expected: `GRANT PROCESS ON *.* TO '${s.address.user}'@'%' to see every client` }]

    if (long.length === 0) {
      ctx.ok(
        {
          label: 'active statements',
          observed: active.length ? `${active.length}, longest ${duration(longest)}` : 'none besides medic',
          expected: `none running > ${duration(o.warningSeconds)}`,
        },
        ...scope,
      )
      return
    }
    const critical = long.filter((r) => r.seconds >= o.criticalSeconds)
    const evidence: Evidence[] = long.slice(0, o.maxListed).map((r) => ({
      label: `thread ${r.id}`,
      observed: `${r.user}@${r.client || 'local'}${r.db ? ` on ${r.db}` : ''}, running ${duration(r.seconds)} (${r.command}${r.state ? `, ${r.state}` : ''}): ${maskStatement(r.info)}`,
      expected: `< ${duration(r.seconds >= o.criticalSeconds ? o.criticalSeconds : o.warningSeconds)}`,
    }))
    if (long.length > o.maxListed) evidence.push({ label: 'more', observed: `${long.length - o.maxListed} more statements over ${duration(o.warningSeconds)}` })
    ctx.finding('mysql.long-running-queries', {
      severity: critical.length ? 'critical' : 'warning',
      title: `${long.length} MySQL/MariaDB statement${long.length > 1 ? 's' : ''} running longer than ${duration(critical.length ? o.criticalSeconds : o.warningSeconds)} (longest ${duration(longest)}, thread ${long[0].id})`,
      evidence: [...evidence, ...scope],
      commands: meta.findings['mysql.long-running-queries'].commands.map((c) => fillTemplate(c, values)),
    })
  },
})
