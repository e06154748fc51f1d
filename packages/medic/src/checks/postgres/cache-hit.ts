/**
 * postgres.cache-hit: share of heap and index block reads served from shared_buffers
 * (pg_statio_user_tables / pg_statio_user_indexes). Judged only after minBlocks accesses, so a
 * freshly started server with a cold cache is not flagged.
 */
import { defineCheck } from '../../engine/check.js'
import { fmtInt, psql, readOnly, requireSession } from './connection.js'

const SQL =
  'SELECT sum(heap_blks_hit) AS hit, sum(heap_blks_read) AS read, round(100.0 * sum(heap_blks_hit) / nullif(sum(heap_blks_hit) + sum(heap_blks_read), 0), 2) AS pct FROM pg_statio_user_tables'

export default defineCheck({
  meta: {
    id: 'postgres.cache-hit',
    title: 'Buffer cache hit ratio',
    targets: ['postgres'],
    description: 'Heap and index cache hit ratios of the target database since the statistics were reset; warns under minPct once at least minBlocks blocks were accessed.',
    defaults: { minPct: 99, minBlocks: 10_000 },
    findings: {
      'postgres.cache-hit-low': {
        title: 'The buffer cache hit ratio is low',
        fix: 'The working set does not fit in memory: raise shared_buffers (about 25 % of RAM) and effective_cache_size, add RAM, or cut what is read (indexes instead of sequential scans, see postgres.missing-index; archive cold rows).',
        commands: [`psql "<dsn without password>" -c "${SQL}"`],
      },
    },
  },
  async run(ctx, o) {
    const s = await requireSession(ctx)
    const [r] = await readOnly(ctx, s, (q) =>
      q<{ heap_hit: number; heap_read: number; idx_hit: number; idx_read: number; shared_buffers: string }>(
        `SELECT (SELECT COALESCE(sum(heap_blks_hit), 0) FROM pg_statio_user_tables)::float8 AS heap_hit,
                (SELECT COALESCE(sum(heap_blks_read), 0) FROM pg_statio_user_tables)::float8 AS heap_read,
                (SELECT COALESCE(sum(idx_blks_hit), 0) FROM pg_statio_user_indexes)::float8 AS idx_hit,
                (SELECT COALESCE(sum(idx_blks_read), 0) FROM pg_statio_user_indexes)::float8 AS idx_read,
                current_setting('shared_buffers') AS shared_buffers`,
      ),
    )
    const ratio = (hit: number, read: number) => (hit + read > 0 ? Math.round((hit / (hit + read)) * 10000) / 100 : null)
    const heap = ratio(r.heap_hit, r.heap_read)
    const idx = ratio(r.idx_hit, r.idx_read)
    ctx.observe('postgres.cacheHit.heapPct', heap)
    ctx.observe('postgres.cacheHit.indexPct', idx)
    const parts = [
      { name: 'heap', pct: heap, hit: r.heap_hit, read: r.heap_read },
      { name: 'index', pct: idx, hit: r.idx_hit, read: r.idx_read },
    ]
    const evidence = parts.map((p) => ({
      label: `${p.name} cache hit`,
      observed: p.pct === null ? 'no reads yet' : `${p.pct} % (${fmtInt(p.hit)} hits / ${fmtInt(p.hit + p.read)} block reads)${p.hit + p.read < o.minBlocks ? `, too few reads to judge (< ${fmtInt(o.minBlocks)})` : ''}`,
      expected: `≥ ${o.minPct} %`,
    }))
    const low = parts.filter((p) => p.pct !== null && p.hit + p.read >= o.minBlocks && p.pct < o.minPct)
    if (low.length === 0) {
      ctx.ok(...evidence)
      return
    }
    ctx.finding('postgres.cache-hit-low', {
      severity: 'warning',
      title: `Low cache hit ratio: ${low.map((p) => `${p.name} ${p.pct} %`).join(', ')} (shared_buffers ${r.shared_buffers})`,
      evidence: [...evidence, { label: 'shared_buffers', observed: r.shared_buffers }],
      commands: [psql(ctx, SQL)],
    })
  },
})
