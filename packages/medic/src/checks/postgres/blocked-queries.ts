/**
 * postgres.blocked-queries: sessions waiting on a lock, with who blocks them (pg_blocking_pids),
 * both queries and the wait time, and the root of each chain: the session to look at first.
 */
import { defineCheck } from '../../engine/check.js'
import { fmtSeconds, psql, readOnly, requireSession, shortQuery } from './connection.js'

const CHAIN_SQL =
  "SELECT pid, pg_blocking_pids(pid) AS blocked_by, wait_event_type, now() - query_start AS waiting, left(query, 120) AS query FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0"

interface Blocked {
  pid: number
  usename: string | null
  application_name: string | null
  wait_event_type: string | null
  wait_event: string | null
  wait_s: number
  query: string | null
  blockers: number[]
}
interface Holder {
  pid: number
  usename: string | null
  application_name: string | null
  state: string | null
  state_s: number | null
  xact_s: number | null
  query: string | null
}

export default defineCheck({
  meta: {
    id: 'postgres.blocked-queries',
    title: 'Queries blocked by locks',
    targets: ['postgres'],
    description:
      'Finds sessions waiting on a lock longer than minWaitSeconds and shows the blocking chain from pg_blocking_pids: blocked pid ← blocking pid, both queries, the wait time, and the root blockers.',
    defaults: { minWaitSeconds: 1, maxListed: 5, queryChars: 100 },
    findings: {
      'postgres.blocked-queries': {
        title: 'Queries are blocked waiting on locks',
        fix: 'Look at the root blocker first: usually a transaction left open (idle in transaction) or a long migration (ALTER TABLE takes an exclusive lock). Commit or end it (SELECT pg_terminate_backend(<root pid>)), keep transactions short, and run DDL with a low lock_timeout.',
        commands: [`psql "<dsn without password>" -c "${CHAIN_SQL}"`],
      },
    },
  },
  async run(ctx, o) {
    const s = await requireSession(ctx)
    // pg_locks.waitstart (PG14+) is when the lock wait began; before that, the statement start is the best guess.
    const waitStart = s.versionNum >= 140000 ? `COALESCE((SELECT min(l.waitstart) FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted), a.query_start)` : 'a.query_start'
    const { blocked, holders } = await readOnly(ctx, s, async (q) => {
      const blocked = await q<Blocked>(
        `SELECT a.pid, a.usename, a.application_name, a.wait_event_type, a.wait_event, a.query,
                extract(epoch FROM clock_timestamp() - ${waitStart})::float8 AS wait_s,
                pg_blocking_pids(a.pid) AS blockers
           FROM pg_stat_activity a
          WHERE a.pid <> pg_backend_pid() AND cardinality(pg_blocking_pids(a.pid)) > 0`,
      )
      const pids = [...new Set(blocked.flatMap((b) => b.blockers))]
      const holders = pids.length
        ? await q<Holder>(
            `SELECT pid, usename, application_name, state, query,
                    extract(epoch FROM clock_timestamp() - state_change)::float8 AS state_s,
                    extract(epoch FROM clock_timestamp() - xact_start)::float8 AS xact_s
               FROM pg_stat_activity WHERE pid = ANY($1::int[])`,
            [pids],
          )
        : []
      return { blocked, holders }
    })
    const waiting = blocked.filter((b) => b.wait_s >= o.minWaitSeconds).sort((a, b) => b.wait_s - a.wait_s)
    const blockedPids = new Set(blocked.map((b) => b.pid))
    const roots = [...new Set(waiting.flatMap((b) => b.blockers))].filter((p) => !blockedPids.has(p))
    const maxWait = waiting.reduce((m, b) => Math.max(m, b.wait_s), 0)
    ctx.observe('postgres.blocked.count', waiting.length)
    ctx.observe('postgres.blocked.maxWaitSeconds', Math.round(maxWait))
    ctx.observe('postgres.blocked.rootBlockers', roots.length)
    if (waiting.length === 0) {
      ctx.ok({ label: 'sessions waiting on a lock', observed: blocked.length ? `${blocked.length}, all under ${fmtSeconds(o.minWaitSeconds)}` : 'none', expected: `none over ${fmtSeconds(o.minWaitSeconds)}` })
      return
    }
    const byPid = new Map(holders.map((h) => [h.pid, h]))
    const who = (h: { usename: string | null; application_name: string | null }) => `${h.usename ?? '?'} / ${h.application_name || '(no application_name)'}`
    const holderText = (pid: number) => {
      const h = byPid.get(pid)
      if (!h) return `pid ${pid} (gone)`
      const st = h.state ? `${h.state}${h.state_s != null ? ` for ${fmtSeconds(h.state_s)}` : ''}` : 'state hidden'
      return `pid ${pid} (${who(h)}, ${st}${h.xact_s != null ? `, transaction open ${fmtSeconds(h.xact_s)}` : ''}): ${shortQuery(h.query, o.queryChars)}`
    }
    ctx.finding('postgres.blocked-queries', {
      severity: 'critical',
      title: `${waiting.length} session(s) blocked on locks for up to ${fmtSeconds(maxWait)}; root blocker${roots.length === 1 ? '' : 's'}: ${roots.map((p) => `pid ${p}`).join(', ') || 'a cycle'}`,
      evidence: [
        { label: 'blocked sessions', observed: `${waiting.length}, longest wait ${fmtSeconds(maxWait)}`, expected: `none waiting over ${fmtSeconds(o.minWaitSeconds)}` },
        ...waiting.slice(0, o.maxListed).map((b) => ({
          label: `pid ${b.pid} ← ${b.blockers.map((p) => `pid ${p}`).join(', ')}`,
          observed: `pid ${b.pid} (${who(b)}) waiting ${fmtSeconds(b.wait_s)} on ${b.wait_event_type ?? '?'}/${b.wait_event ?? '?'}: ${shortQuery(b.query, o.queryChars)} ← blocked by ${b.blockers.map(holderText).join('; ')}`,
        })),
        ...(waiting.length > o.maxListed ? [{ label: 'more', observed: `${waiting.length - o.maxListed} more not listed` }] : []),
        ...(roots.length ? [{ label: 'root blockers', observed: roots.map(holderText).join('; ') }] : []),
      ],
      commands: [psql(ctx, CHAIN_SQL)],
    })
  },
})
