/**
 * postgres.missing-index: large tables read mostly by sequential scans (pg_stat_user_tables),
 * pgHero's rule: ≥ minRows live rows and < minIndexPct % of scans using an index.
 */
import { defineCheck } from '../../engine/check.js'
import { fmtInt, pct, psql, readOnly, requireSession } from './connection.js'

const LIST_SQL =
  'SELECT relname, n_live_tup, seq_scan, idx_scan, seq_tup_read FROM pg_stat_user_tables WHERE n_live_tup >= 10000 ORDER BY seq_tup_read DESC LIMIT 10'

interface Row {
  schemaname: string
  relname: string
  n_live_tup: string
  seq_scan: string
  idx_scan: string
  seq_tup_read: string
}

export default defineCheck({
  meta: {
    id: 'postgres.missing-index',
    title: 'Large tables scanned without an index',
    targets: ['postgres'],
    description:
      'Flags tables with at least minRows live rows where fewer than minIndexPct % of scans (since the statistics were reset) used an index, once a table has seen minScans scans.',
    defaults: { minRows: 10_000, minIndexPct: 95, minScans: 10, maxListed: 5 },
    findings: {
      'postgres.missing-index': {
        title: 'Large tables are read by sequential scans',
        fix: 'Find the queries that filter this table (pg_stat_statements, or the app log), EXPLAIN them, and add an index on the filtered/joined columns (CREATE INDEX CONCURRENTLY to avoid blocking writes).',
        commands: [`psql "<dsn without password>" -c "${LIST_SQL}"`],
      },
    },
  },
  async run(ctx, o) {
    const s = await requireSession(ctx)
    const rows = await readOnly(ctx, s, (q) =>
      q<Row>(
        `SELECT schemaname, relname, n_live_tup::text, seq_scan::text, COALESCE(idx_scan, 0)::text AS idx_scan, seq_tup_read::text
           FROM pg_stat_user_tables
          WHERE n_live_tup >= $1 AND seq_scan + COALESCE(idx_scan, 0) >= $3
            AND 100.0 * COALESCE(idx_scan, 0) / (seq_scan + COALESCE(idx_scan, 0)) < $2
          ORDER BY seq_tup_read DESC`,
        [o.minRows, o.minIndexPct, o.minScans],
      ),
    )
    ctx.observe('postgres.missingIndex.tables', rows.length)
    if (rows.length === 0) {
      ctx.ok({ label: 'tables mostly scanned sequentially', observed: 'none', expected: `≥ ${o.minIndexPct} % index scans on tables with ≥ ${fmtInt(o.minRows)} rows` })
      return
    }
    ctx.finding('postgres.missing-index', {
      severity: 'warning',
      title: `${rows.length} large table(s) mostly read by sequential scans: ${rows.slice(0, 3).map((r) => `${r.schemaname}.${r.relname}`).join(', ')}`,
      evidence: rows.slice(0, o.maxListed).map((r) => {
        const seq = Number(r.seq_scan)
        const idx = Number(r.idx_scan)
        return {
          label: `${r.schemaname}.${r.relname}`,
          observed: `${pct(idx, seq + idx)} % of ${fmtInt(seq + idx)} scans used an index (${fmtInt(seq)} sequential, ${fmtInt(idx)} index), ${fmtInt(Number(r.n_live_tup))} live rows, ${fmtInt(Number(r.seq_tup_read))} rows read sequentially`,
          expected: `≥ ${o.minIndexPct} % index scans`,
        }
      }),
      commands: [psql(ctx, LIST_SQL)],
    })
  },
})
