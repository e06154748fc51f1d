/** metrics.pool: database pool in use versus its size, from the pool gauges the app exports. */
import { defineCheck } from '../../engine/check.js'
import { POOL_PAIRS, poolUsage } from '../../metrics/select.js'
import { jobMatcher, metricsOrSkip } from '../../metrics/source.js'

export default defineCheck({
  meta: {
    id: 'metrics.pool',
    title: 'Database pool usage',
    targets: ['metrics'],
    description: `Reads connection-pool gauges (${POOL_PAIRS.map((p) => p.inUse).join(', ')} against their size) and flags a pool that is nearly all checked out.`,
    defaults: { windowMs: 500, criticalPct: 80 },
    findings: {
      'metrics.pool-saturated': {
        title: 'Database pool nearly exhausted',
        fix: 'Connections are held too long or the pool is too small for the load: look for transactions left open, slow queries, and size the pool against the database limit.',
      },
    },
  },
  async run(ctx, o) {
    const data = await metricsOrSkip(ctx, o.windowMs)
    let pools: { inUse: number; size: number; waiting?: number; names: string }[]
    if (data.mode === 'prometheus') {
      pools = []
      for (const p of POOL_PAIRS) {
        const used = await data.scalar(`sum(${p.inUse}${jobMatcher(data.job)})`)
        const size = await data.scalar(`sum(${p.size}${jobMatcher(data.job)})`)
        if (used !== undefined && size !== undefined) {
          pools.push({ inUse: used, size, names: `${p.inUse} / ${p.size}` })
          break
        }
      }
    } else {
      pools = poolUsage(data.second.samples)
    }
    if (pools.length === 0) return ctx.skip('no database pool gauges in the metrics (db_pool_in_use / db_pool_size or a known library)')
    for (const p of pools) {
      const pct = p.size > 0 ? (p.inUse / p.size) * 100 : 0
      ctx.observe('metrics.poolUsedPct', Math.round(pct))
      const evidence = [
        { label: 'pool in use', observed: `${p.inUse} of ${p.size} (${Math.round(pct)} %, ${p.names})`, expected: `< ${o.criticalPct} %` },
        ...(p.waiting !== undefined ? [{ label: 'waiting for a connection', observed: String(p.waiting), expected: '0' }] : []),
      ]
      if (pct > o.criticalPct || (p.waiting ?? 0) > 0) ctx.finding('metrics.pool-saturated', { severity: 'critical', title: `Database pool ${Math.round(pct)} % in use`, evidence })
      else ctx.ok(evidence[0])
    }
  },
})
