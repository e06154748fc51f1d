/**
 * postgres.idle-in-transaction: sessions that opened a transaction and went quiet. They hold locks
 * and a connection slot, and stop VACUUM from cleaning up behind them.
 */
import { defineCheck } from '../../engine/check.js'
import { CLIENT_BACKEND_SQL, fmtSeconds, MEDIC_APP_NAME, pct, psql, readOnly, requireSession, shortQuery, slotSettings, visibilityNote } from './connection.js'

const LIST_SQL =
  "SELECT pid, usename, application_name, client_addr, now() - state_change AS idle_for, left(query, 200) AS last_query FROM pg_stat_activity WHERE state LIKE 'idle in transaction%' ORDER BY state_change"

interface Row {
  pid: number
  usename: string | null
  application_name: string | null
  client: string | null
  state: string
  idle_s: number
  xact_s: number | null
  query: string | null
}

export default defineCheck({
  meta: {
    id: 'postgres.idle-in-transaction',
    title: 'Sessions idle in transaction',
    targets: ['postgres'],
    description:
      'Lists sessions in state "idle in transaction" (or aborted) longer than the threshold: pid, application, client, how long, and the last query. They hold locks and a slot and block VACUUM.',
    defaults: { warningSeconds: 60, criticalSeconds: 300, criticalSlotsPct: 20, maxListed: 5, queryChars: 120 },
    findings: {
      'postgres.idle-in-transaction': {
        title: 'Sessions are idle in transaction',
        fix: 'Find the code path that opens a transaction and does not commit or roll back (a missing commit, an exception path, an await on a slow call inside a transaction, an ORM session not closed). Set idle_in_transaction_session_timeout (e.g. 60s) for the app role as a safety net; end a stuck session with SELECT pg_terminate_backend(<pid>).',
        commands: [`psql "<dsn without password>" -c "${LIST_SQL}"`],
      },
    },
  },
  async run(ctx, o) {
    const s = await requireSession(ctx)
    const { rows, hidden, slots } = await readOnly(ctx, s, async (q) => ({
      slots: await slotSettings(q),
      rows: await q<Row>(
        `SELECT pid, usename, application_name, host(client_addr) AS client, state,
                extract(epoch FROM clock_timestamp() - state_change)::float8 AS idle_s,
                extract(epoch FROM clock_timestamp() - xact_start)::float8 AS xact_s, query
           FROM pg_stat_activity
          WHERE state LIKE 'idle in transaction%' AND pid <> pg_backend_pid() AND application_name <> $1
          ORDER BY state_change`,
        [MEDIC_APP_NAME],
      ),
      hidden: (await q<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE state IS NULL AND ${CLIENT_BACKEND_SQL}`))[0].n,
    }))
    const over = rows.filter((r) => r.idle_s >= o.warningSeconds)
    const maxIdle = rows.reduce((m, r) => Math.max(m, r.idle_s), 0)
    ctx.observe('postgres.idleInTransaction.count', rows.length)
    ctx.observe('postgres.idleInTransaction.overThreshold', over.length)
    ctx.observe('postgres.idleInTransaction.maxSeconds', Math.round(maxIdle))
    ctx.observe('postgres.activity.hiddenSessions', hidden)
    const note = visibilityNote(s, hidden)
    if (over.length === 0) {
      ctx.ok(
        { label: 'idle in transaction', observed: `${rows.length} session(s), longest ${fmtSeconds(maxIdle)}`, expected: `none over ${fmtSeconds(o.warningSeconds)}` },
        ...(note ? [{ label: 'not visible', observed: note }] : []),
      )
      return
    }
    const slotPct = pct(over.length, slots.usable)
    const critical = maxIdle >= o.criticalSeconds || slotPct > o.criticalSlotsPct
    const evidence = [
      {
        label: 'idle in transaction',
        observed: `${over.length} session(s) over ${fmtSeconds(o.warningSeconds)}, longest ${fmtSeconds(maxIdle)}; ${slotPct} % of ${slots.usable} usable slots`,
        expected: `none over ${fmtSeconds(o.warningSeconds)} (critical over ${fmtSeconds(o.criticalSeconds)} or > ${o.criticalSlotsPct} % of slots)`,
      },
      ...over.slice(0, o.maxListed).map((r) => ({
        label: `pid ${r.pid}`,
        observed: `${r.usename ?? '?'} / ${r.application_name || '(no application_name)'} from ${r.client ?? 'local socket'}, ${r.state} for ${fmtSeconds(r.idle_s)}${r.xact_s != null ? ` (transaction open ${fmtSeconds(r.xact_s)})` : ''}; last query: ${shortQuery(r.query, o.queryChars)}`,
      })),
      ...(over.length > o.maxListed ? [{ label: 'more', observed: `${over.length - o.maxListed} more not listed` }] : []),
      ...(note ? [{ label: 'not visible', observed: note }] : []),
    ]
    ctx.finding('postgres.idle-in-transaction', {
      severity: critical ? 'critical' : 'warning',
      title: `${over.length} session(s) idle in transaction, longest ${fmtSeconds(maxIdle)}`,
      evidence,
      commands: [psql(ctx, LIST_SQL)],
    })
  },
})
