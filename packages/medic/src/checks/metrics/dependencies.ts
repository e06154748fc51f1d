/** metrics.dependencies: dependency error counters (redis_connection_errors, ...) rising. */
import { defineCheck } from '../../engine/check.js'
import { dependencyErrorCounters } from '../../metrics/select.js'
import { jobMatcher, metricsOrSkip } from '../../metrics/source.js'

export default defineCheck({
  meta: {
    id: 'metrics.dependencies',
    title: 'Dependency error counters',
    targets: ['metrics'],
    description:
      'Watches counters of dependency errors (redis_connection_errors_total, *_connection_errors_total, and the names in the `counters` option) and reports those that rose during the observation window (or over `range` with a Prometheus API).',
    defaults: { windowMs: 500, counters: [] as string[], range: '5m' },
    findings: {
      'metrics.dependency-errors': {
        title: 'A dependency is failing (error counter rising)',
        fix: 'The counter names the dependency: check it directly (`medic check redis`, `medic check postgres`) and the app’s connection settings.',
      },
    },
  },
  async run(ctx, o) {
    const data = await metricsOrSkip(ctx, o.windowMs)
    const rising: { name: string; delta: number; total: number }[] = []
    if (data.mode === 'prometheus') {
      for (const name of ['redis_connection_errors_total', ...o.counters]) {
        const v = await data.scalar(`sum(increase(${name}${jobMatcher(data.job)}[${o.range}]))`)
        if (v && v > 0) rising.push({ name, delta: v, total: Number.NaN })
      }
    } else {
      const before = dependencyErrorCounters(data.first.samples, o.counters)
      const now = dependencyErrorCounters(data.second.samples, o.counters)
      if (now.size === 0) return ctx.skip('no dependency error counters in the metrics')
      for (const [name, total] of now) {
        const delta = total - (before.get(name) ?? 0)
        if (delta > 0) rising.push({ name, delta, total })
      }
    }
    ctx.observe('metrics.dependencyErrorsRising', rising.length)
    if (rising.length === 0) {
      ctx.ok({ label: 'dependency error counters', observed: 'not rising' })
      return
    }
    ctx.finding('metrics.dependency-errors', {
      severity: 'critical',
      title: `${rising.map((r) => r.name).join(', ')} rising`,
      evidence: rising.map((r) => ({
        label: r.name,
        observed: data.mode === 'prometheus' ? `+${Math.round(r.delta)} over ${o.range}` : `+${r.delta} in ${Math.round(data.windowMs)} ms (${r.total} since start)`,
        expected: 'no increase',
      })),
    })
  },
})
