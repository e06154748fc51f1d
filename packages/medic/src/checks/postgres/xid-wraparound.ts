/**
 * postgres.xid-wraparound: transactions left before the oldest unfrozen XID of a database wraps
 * (2^31 − 1 − age(datfrozenxid)). Near zero PostgreSQL stops accepting writes to protect the data.
 */
import { defineCheck } from '../../engine/check.js'
import { fmtInt, psql, readOnly, requireSession } from './connection.js'

const XID_LIMIT = 2_147_483_647
const SQL = 'SELECT datname, age(datfrozenxid), 2147483647 - age(datfrozenxid) AS left_before_wraparound FROM pg_database ORDER BY 2 DESC'

export default defineCheck({
  meta: {
    id: 'postgres.xid-wraparound',
    title: 'Transaction ID wraparound',
    targets: ['postgres'],
    description: 'Age of the oldest unfrozen transaction ID per database; warns when fewer than warningRemaining transactions are left before wraparound.',
    defaults: { warningRemaining: 1_500_000_000 },
    findings: {
      'postgres.xid-wraparound': {
        title: 'Transaction IDs are approaching wraparound',
        fix: 'Let (auto)vacuum freeze the oldest tables: find them (SELECT relname, age(relfrozenxid) FROM pg_class WHERE relkind = \'r\' ORDER BY 2 DESC LIMIT 10), end long-open transactions and stale replication slots or prepared transactions that hold the horizon back, then VACUUM (FREEZE, VERBOSE) those tables.',
        commands: [`psql "<dsn without password>" -c "${SQL}"`],
      },
    },
  },
  async run(ctx, o) {
    const s = await requireSession(ctx)
    const rows = await readOnly(ctx, s, (q) =>
      q<{ datname: string; age: number; freeze_max: string }>(
        `SELECT datname, age(datfrozenxid)::int8::float8 AS age, current_setting('autovacuum_freeze_max_age') AS freeze_max
           FROM pg_database WHERE datallowconn ORDER BY 2 DESC`,
      ),
    )
    const worst = rows[0]
    const remaining = worst ? XID_LIMIT - worst.age : XID_LIMIT
    ctx.observe('postgres.xid.oldestAge', worst?.age ?? 0)
    ctx.observe('postgres.xid.remaining', remaining)
    const evidence = [
      {
        label: 'transactions left before wraparound',
        observed: `${fmtInt(remaining)} (database ${worst?.datname ?? '?'}: age(datfrozenxid) ${fmtInt(worst?.age ?? 0)}, ${((remaining / XID_LIMIT) * 100).toFixed(1)} % left)`,
        expected: `≥ ${fmtInt(o.warningRemaining)}`,
      },
      { label: 'autovacuum_freeze_max_age', observed: fmtInt(Number(worst?.freeze_max ?? 0)) },
    ]
    if (remaining >= o.warningRemaining) {
      ctx.ok(...evidence)
      return
    }
    ctx.finding('postgres.xid-wraparound', {
      severity: 'warning',
      title: `${fmtInt(remaining)} transactions left before XID wraparound in database ${worst.datname}`,
      evidence: [...evidence, ...rows.slice(1, 4).map((r) => ({ label: `database ${r.datname}`, observed: `age ${fmtInt(r.age)}` }))],
      commands: [psql(ctx, SQL), psql(ctx, "SELECT relname, age(relfrozenxid) FROM pg_class WHERE relkind = 'r' ORDER BY 2 DESC LIMIT 10")],
    })
  },
})
