/**
 * postgres.connections: how many of the slots a normal role can use are taken. Usable slots are
 * max_connections − superuser_reserved_connections (− reserved_connections on PG16+); past that
 * the app gets "remaining connection slots are reserved".
 */
import { defineCheck } from '../../engine/check.js'
import { CLIENT_BACKEND_SQL, pct, psql, readOnly, requireSession, slotSettings } from './connection.js'

const BY_CLIENT_SQL =
  "SELECT usename, application_name, client_addr, state, count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC"

export default defineCheck({
  meta: {
    id: 'postgres.connections',
    title: 'PostgreSQL connection slots',
    targets: ['postgres'],
    description:
      'Counts client backends against the slots a non-superuser can use (max_connections minus the reserved ones) and names who holds them, by role, application and state. medic\'s own session is not counted.',
    defaults: { warningPct: 80, criticalPct: 95, topClients: 5 },
    findings: {
      'postgres.connections-saturated': {
        title: 'PostgreSQL connection slots are nearly exhausted',
        fix: 'Find who holds the connections (by application and state), end leaked and idle-in-transaction sessions, cap each pool so their sum stays under the usable slots, or add PgBouncer.',
        commands: [`psql "<dsn without password>" -c "${BY_CLIENT_SQL}"`],
      },
    },
  },
  async run(ctx, o) {
    const s = await requireSession(ctx)
    const { slots, rows } = await readOnly(ctx, s, async (q) => ({
      slots: await slotSettings(q),
      rows: await q<{ usename: string | null; application_name: string | null; state: string | null; n: number }>(
        `SELECT usename, application_name, state, count(*)::int AS n
           FROM pg_stat_activity
          WHERE ${CLIENT_BACKEND_SQL} AND pid <> pg_backend_pid()
          GROUP BY 1, 2, 3 ORDER BY 4 DESC`,
      ),
    }))
    const used = rows.reduce((a, r) => a + r.n, 0)
    const usedPct = pct(used, slots.usable)
    ctx.observe('postgres.slots.used', used)
    ctx.observe('postgres.slots.usable', slots.usable)
    ctx.observe('postgres.slots.max', slots.max)
    ctx.observe('postgres.slots.reserved', slots.superuserReserved + slots.reserved)
    ctx.observe('postgres.slots.usedPct', usedPct)

    const byState = new Map<string, number>()
    const byClient = new Map<string, number>()
    for (const r of rows) {
      const st = r.state ?? 'hidden'
      byState.set(st, (byState.get(st) ?? 0) + r.n)
      const who = `${r.usename ?? '?'} / ${r.application_name || '(no application_name)'}`
      byClient.set(who, (byClient.get(who) ?? 0) + r.n)
    }
    const states = [...byState].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'
    const clients = [...byClient].sort((a, b) => b[1] - a[1]).slice(0, o.topClients).map(([k, v]) => `${k}: ${v}`).join('; ') || 'none'
    const reservedText = `max_connections ${slots.max}, ${slots.superuserReserved} superuser-reserved${slots.reserved ? `, ${slots.reserved} reserved_connections` : ''}`
    const evidence = [
      { label: 'usable slots', observed: `${used} of ${slots.usable} used, ${usedPct} % (${reservedText}; medic's own session not counted)`, expected: `< ${o.warningPct} % used` },
      { label: 'by state', observed: states },
      { label: 'by role / application', observed: clients },
    ]
    if (usedPct >= o.warningPct) {
      ctx.finding('postgres.connections-saturated', {
        severity: usedPct >= o.criticalPct ? 'critical' : 'warning',
        title: `PostgreSQL connection slots ${usedPct >= 100 ? 'exhausted' : 'nearly exhausted'}: ${used} of ${slots.usable} usable slots in use`,
        evidence,
        commands: [psql(ctx, BY_CLIENT_SQL), psql(ctx, 'SHOW max_connections')],
      })
      return
    }
    ctx.ok(...evidence)
  },
})
