/**
 * postgres.long-running-queries: statements active longer than the threshold. Autovacuum workers
 * and WAL senders are long-lived by design, so they are listed apart and never raise the severity.
 */
import { defineCheck } from '../../engine/check.js'
import { fmtSeconds, MEDIC_APP_NAME, psql, readOnly, requireSession, shortQuery } from './connection.js'

const LIST_SQL =
  "SELECT pid, usename, application_name, backend_type, wait_event_type, wait_event, now() - query_start AS running_for, left(query, 200) AS query FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() ORDER BY query_start"

interface Row {
  pid: number
  usename: string | null
  application_name: string | null
  backend_type: string | null
  wait_event_type: string | null
  wait_event: string | null
  run_s: number
  query: string | null
}

export default defineCheck({
  meta: {
    id: 'postgres.long-running-queries',
    title: 'Long-running queries',
    targets: ['postgres'],
    description:
      'Lists statements active longer than the threshold with pid, application, wait event and the query. Autovacuum workers and WAL senders are listed apart and do not count.',
    defaults: { warningSeconds: 60, criticalSeconds: 300, maxListed: 5, queryChars: 120 },
    findings: {
      'postgres.long-running-queries': {
        title: 'Queries have been running for a long time',
        fix: 'Look at the plan of the slow statement (EXPLAIN), add the missing index or batch the work; if it waits on a lock, see postgres.blocked-queries. Cancel one with SELECT pg_cancel_backend(<pid>) and set statement_timeout for the app role so a runaway query cannot hold a connection forever.',
        commands: [`psql "<dsn without password>" -c "${LIST_SQL}"`],
      },
    },
  },
  async run(ctx, o) {
    const s = await requireSession(ctx)
    const rows = await readOnly(ctx, s, (q) =>
      q<Row>(
        `SELECT pid, usename, application_name, backend_type, wait_event_type, wait_event,
                extract(epoch FROM clock_timestamp() - query_start)::float8 AS run_s, query
           FROM pg_stat_activity
          WHERE state = 'active' AND query_start IS NOT NULL AND pid <> pg_backend_pid() AND application_name <> $1
            AND clock_timestamp() - query_start > make_interval(secs => $2)
          ORDER BY query_start`,
        [MEDIC_APP_NAME, o.warningSeconds],
      ),
    )
    const apart = (r: Row) => r.backend_type === 'autovacuum worker' || r.backend_type === 'walsender'
    const queries = rows.filter((r) => !apart(r))
    const autovacuum = rows.filter((r) => r.backend_type === 'autovacuum worker')
    const walsenders = rows.filter((r) => r.backend_type === 'walsender')
    const maxRun = queries.reduce((m, r) => Math.max(m, r.run_s), 0)
    ctx.observe('postgres.longRunning.count', queries.length)
    ctx.observe('postgres.longRunning.maxSeconds', Math.round(maxRun))
    ctx.observe('postgres.longRunning.autovacuum', autovacuum.length)
    ctx.observe('postgres.longRunning.walsenders', walsenders.length)
    const line = (r: Row) =>
      `${r.usename ?? '?'} / ${r.application_name || '(no application_name)'} running ${fmtSeconds(r.run_s)}${r.wait_event_type ? `, waiting on ${r.wait_event_type}/${r.wait_event}` : ''}: ${shortQuery(r.query, o.queryChars)}`
    const apartEvidence = [
      ...(autovacuum.length ? [{ label: 'autovacuum (not counted)', observed: autovacuum.map((r) => `pid ${r.pid} ${fmtSeconds(r.run_s)}: ${shortQuery(r.query, 80)}`).join('; ') }] : []),
      ...(walsenders.length ? [{ label: 'walsender (not counted)', observed: walsenders.map((r) => `pid ${r.pid} ${r.application_name || ''} ${fmtSeconds(r.run_s)}`).join('; ') }] : []),
    ]
    if (queries.length === 0) {
      ctx.ok({ label: 'active queries over threshold', observed: 'none', expected: `none over ${fmtSeconds(o.warningSeconds)}` }, ...apartEvidence)
      return
    }
    ctx.finding('postgres.long-running-queries', {
      severity: maxRun >= o.criticalSeconds ? 'critical' : 'warning',
      title: `${queries.length} quer${queries.length === 1 ? 'y has' : 'ies have'} been running over ${fmtSeconds(o.warningSeconds)}, longest ${fmtSeconds(maxRun)}`,
      evidence: [
        { label: 'long-running queries', observed: `${queries.length}, longest ${fmtSeconds(maxRun)}`, expected: `none over ${fmtSeconds(o.warningSeconds)} (critical over ${fmtSeconds(o.criticalSeconds)})` },
        ...queries.slice(0, o.maxListed).map((r) => ({ label: `pid ${r.pid}`, observed: line(r) })),
        ...(queries.length > o.maxListed ? [{ label: 'more', observed: `${queries.length - o.maxListed} more not listed` }] : []),
        ...apartEvidence,
      ],
      commands: [psql(ctx, LIST_SQL)],
    })
  },
})
