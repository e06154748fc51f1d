/**
 * postgres.slow-statements: the statements that cost the most time, from pg_stat_statements
 * (mean ≥ meanMs over ≥ minCalls calls, top N by total time). Without the extension there is
 * nothing to read: an info finding says how to turn it on.
 */
import { defineCheck } from '../../engine/check.js'
import { fmtInt, psql, readOnly, requireSession, shortQuery } from './connection.js'

interface Row {
  query: string | null
  calls: string
  mean_ms: number
  total_ms: number
  rows: string
}

export default defineCheck({
  meta: {
    id: 'postgres.slow-statements',
    title: 'Slow statements (pg_stat_statements)',
    targets: ['postgres'],
    description:
      'Reads pg_stat_statements for the target database: statements whose mean time is at least meanMs over at least minCalls calls, the top ones by total time. Reports an info finding when the extension is not installed or not preloaded.',
    defaults: { meanMs: 100, minCalls: 100, top: 5, queryChars: 140 },
    findings: {
      'postgres.slow-statements': {
        title: 'Statements are slow on average',
        fix: 'EXPLAIN (ANALYZE, BUFFERS) the top statement with real parameters: add the missing index, avoid N+1 patterns and unbounded result sets, and check postgres.missing-index for the tables involved.',
        commands: ['psql "<dsn without password>" -c "SELECT calls, round(mean_exec_time::numeric, 1) AS mean_ms, round(total_exec_time::numeric) AS total_ms, left(query, 200) FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 10"'],
      },
    },
  },
  async run(ctx, o) {
    const s = await requireSession(ctx)
    // PG13 renamed total_time/mean_time to total_exec_time/mean_exec_time.
    const [mean, total] = s.versionNum >= 130000 ? ['mean_exec_time', 'total_exec_time'] : ['mean_time', 'total_time']
    const result = await readOnly(ctx, s, async (q) => {
      // shared_preload_libraries is hidden from roles without pg_read_all_settings: then NULL (unknown).
      const [info] = await q<{ ext: string | null; preload: string | null; db: string }>(
        `SELECT (SELECT extversion FROM pg_extension WHERE extname = 'pg_stat_statements') AS ext,
                (SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries') AS preload, current_database() AS db`,
      )
      let loaded: boolean | null = info.preload === null ? null : info.preload.split(',').map((x) => x.trim().replace(/"/g, '')).includes('pg_stat_statements')
      if (!info.ext || loaded === false) return { info, loaded, rows: null }
      await q('SAVEPOINT medic_pgss')
      try {
        const rows = await q<Row>(
          `SELECT query, calls::text, ${mean}::float8 AS mean_ms, ${total}::float8 AS total_ms, rows::text
             FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND calls >= $1 AND ${mean} >= $2 AND query NOT LIKE '%/* medic */%'
            ORDER BY ${total} DESC LIMIT $3`,
          [o.minCalls, o.meanMs, o.top],
        )
        return { info, loaded: true, rows }
      } catch (err) {
        // 55000: "pg_stat_statements must be loaded via shared_preload_libraries".
        if ((err as { code?: string }).code !== '55000') throw err
        await q('ROLLBACK TO SAVEPOINT medic_pgss')
        loaded = false
        return { info, loaded, rows: null }
      }
    })
    ctx.observe('postgres.statements.available', result.rows !== null)
    if (result.rows === null) {
      const { info, loaded } = result
      const missing =
        !info.ext && loaded === false ? 'not preloaded and not created' : !info.ext ? `not created in database "${info.db}"` : 'created but not in shared_preload_libraries'
      ctx.finding('postgres.slow-statements', {
        severity: 'info',
        title: `pg_stat_statements is unavailable (${missing}): slow statements cannot be measured`,
        evidence: [
          { label: 'pg_stat_statements', observed: missing, expected: 'preloaded and created' },
          { label: 'shared_preload_libraries', observed: info.preload === null ? '(not visible to this role)' : info.preload || '(empty)', expected: 'includes pg_stat_statements' },
        ],
        fix: `${loaded === true ? '' : "Add pg_stat_statements to shared_preload_libraries in postgresql.conf (ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements') and restart PostgreSQL; then "}run CREATE EXTENSION pg_stat_statements; in database "${info.db}" as a superuser.`,
        commands: [psql(ctx, 'SHOW shared_preload_libraries'), psql(ctx, "SELECT * FROM pg_extension WHERE extname = 'pg_stat_statements'")],
      })
      return
    }
    const rows = result.rows
    ctx.observe('postgres.slowStatements.count', rows.length)
    if (rows.length === 0) {
      ctx.ok({ label: 'slow statements', observed: 'none', expected: `no statement with mean ≥ ${o.meanMs} ms over ≥ ${o.minCalls} calls` })
      return
    }
    const worst = rows.reduce((m, r) => Math.max(m, r.mean_ms), 0)
    ctx.observe('postgres.slowStatements.worstMeanMs', Math.round(worst))
    ctx.finding('postgres.slow-statements', {
      severity: 'warning',
      title: `${rows.length} statement(s) average ≥ ${o.meanMs} ms (worst ${Math.round(worst)} ms)`,
      evidence: [
        { label: 'slow statements', observed: `${rows.length} (top by total time)`, expected: `mean < ${o.meanMs} ms for statements with ≥ ${o.minCalls} calls` },
        ...rows.map((r, i) => ({
          label: `#${i + 1}`,
          observed: `mean ${r.mean_ms.toFixed(1)} ms × ${fmtInt(Number(r.calls))} calls = ${(r.total_ms / 1000).toFixed(1)} s total, ${fmtInt(Number(r.rows))} rows: ${shortQuery(r.query, o.queryChars)}`,
        })),
      ],
      commands: [psql(ctx, `SELECT calls, round(${mean}::numeric, 1) AS mean_ms, round(${total}::numeric) AS total_ms, left(query, 200) FROM pg_stat_statements ORDER BY ${total} DESC LIMIT 10`)],
    })
  },
})
