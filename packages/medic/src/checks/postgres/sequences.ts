/**
 * postgres.sequences: how much of its range each sequence has used. The range is the smaller of
 * the sequence's own max_value and the column it feeds (a bigint sequence behind an integer id
 * column fails at 2 147 483 647, not at the sequence's max).
 */
import { defineCheck } from '../../engine/check.js'
import { fmtInt, psql, readOnly, requireSession } from './connection.js'

const TYPE_MAX: Record<string, number> = { int2: 32_767, int4: 2_147_483_647, int8: 9_223_372_036_854_775_807 }
const TYPE_MIN: Record<string, number> = { int2: -32_768, int4: -2_147_483_648, int8: -9_223_372_036_854_775_808 }
const TYPE_NAME: Record<string, string> = { int2: 'smallint', int4: 'integer', int8: 'bigint' }

interface Row {
  schemaname: string
  sequencename: string
  data_type: string
  last_value: string
  min_value: string
  max_value: string
  increment_by: string
  col_type: string | null
  col: string | null
}

/** Used share of a sequence's range, 0..100, honouring the owning column's type. */
export function sequenceUsage(r: Pick<Row, 'last_value' | 'min_value' | 'max_value' | 'increment_by' | 'col_type'>): { pct: number; limit: number; limitedByColumn: boolean } {
  const last = Number(r.last_value)
  const inc = Number(r.increment_by)
  if (inc > 0) {
    const colMax = r.col_type ? TYPE_MAX[r.col_type] : undefined
    const limit = colMax !== undefined ? Math.min(Number(r.max_value), colMax) : Number(r.max_value)
    const min = Number(r.min_value)
    return { pct: limit > min ? ((last - min) / (limit - min)) * 100 : 100, limit, limitedByColumn: colMax !== undefined && colMax < Number(r.max_value) }
  }
  const colMin = r.col_type ? TYPE_MIN[r.col_type] : undefined
  const limit = colMin !== undefined ? Math.max(Number(r.min_value), colMin) : Number(r.min_value)
  const max = Number(r.max_value)
  return { pct: max > limit ? ((max - last) / (max - limit)) * 100 : 100, limit, limitedByColumn: colMin !== undefined && colMin > Number(r.min_value) }
}

export default defineCheck({
  meta: {
    id: 'postgres.sequences',
    title: 'Sequence exhaustion',
    targets: ['postgres'],
    description:
      'Share of each sequence\'s range already used (pg_sequences), limited by the type of the column that owns it; warns above warningPct, critical above criticalPct. Sequences the role may not read are not seen.',
    defaults: { warningPct: 85, criticalPct: 95, maxListed: 5 },
    findings: {
      'postgres.sequence-exhaustion': {
        title: 'A sequence is close to its maximum',
        fix: 'Widen the column and the sequence before inserts fail (ALTER TABLE ... ALTER COLUMN id TYPE bigint; ALTER SEQUENCE ... AS bigint). On a big table plan it: a new bigint column filled in batches, then swap. Check for unexpectedly large increments or cycling.',
        commands: ['psql "<dsn without password>" -c "SELECT schemaname, sequencename, data_type, last_value, max_value FROM pg_sequences ORDER BY last_value DESC NULLS LAST"'],
      },
    },
  },
  async run(ctx, o) {
    const s = await requireSession(ctx)
    const rows = await readOnly(ctx, s, (q) =>
      q<Row>(
        `SELECT s.schemaname, s.sequencename, s.data_type::text, s.last_value::text, s.min_value::text, s.max_value::text, s.increment_by::text,
                col.typname AS col_type, col.col
           FROM pg_sequences s
           LEFT JOIN LATERAL (
             SELECT t.typname, c.relname || '.' || a.attname AS col
               FROM pg_class seq
               JOIN pg_namespace n ON n.oid = seq.relnamespace
               JOIN pg_depend d ON d.objid = seq.oid AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
               JOIN pg_class c ON c.oid = d.refobjid
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid
               JOIN pg_type t ON t.oid = a.atttypid
              WHERE seq.relname = s.sequencename AND n.nspname = s.schemaname
              LIMIT 1) col ON true
          WHERE s.last_value IS NOT NULL`,
      ),
    )
    const usage = rows.map((r) => ({ r, ...sequenceUsage(r) })).sort((a, b) => b.pct - a.pct)
    const worst = usage[0]
    ctx.observe('postgres.sequences.count', rows.length)
    ctx.observe('postgres.sequences.maxUsedPct', worst ? Math.round(worst.pct * 10) / 10 : 0)
    const over = usage.filter((u) => u.pct > o.warningPct)
    if (over.length === 0) {
      ctx.ok({
        label: 'fullest sequence',
        observed: worst ? `${worst.r.schemaname}.${worst.r.sequencename} ${worst.pct.toFixed(1)} % used` : 'no sequence in use',
        expected: `≤ ${o.warningPct} %`,
      })
      return
    }
    const critical = over.some((u) => u.pct > o.criticalPct)
    ctx.finding('postgres.sequence-exhaustion', {
      severity: critical ? 'critical' : 'warning',
      title: `${over.length} sequence(s) past ${o.warningPct} % of their range; fullest ${worst.r.schemaname}.${worst.r.sequencename} at ${worst.pct.toFixed(1)} %`,
      evidence: over.slice(0, o.maxListed).map((u) => ({
        label: `${u.r.schemaname}.${u.r.sequencename}`,
        observed: `${u.pct.toFixed(1)} % used: last value ${fmtInt(Number(u.r.last_value))} of ${fmtInt(u.limit)}${u.limitedByColumn ? ` (limit of ${TYPE_NAME[u.r.col_type ?? ''] ?? u.r.col_type} column ${u.r.col}; the sequence itself is ${u.r.data_type})` : u.r.col ? ` (feeds ${u.r.col})` : ''}, ${fmtInt(Math.abs(u.limit - Number(u.r.last_value)) / Math.abs(Number(u.r.increment_by)))} values left`,
        expected: `≤ ${o.warningPct} % (critical > ${o.criticalPct} %)`,
      })),
      commands: [psql(ctx, 'SELECT schemaname, sequencename, data_type, last_value, max_value FROM pg_sequences ORDER BY last_value DESC NULLS LAST')],
    })
  },
})
