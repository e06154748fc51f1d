/** process.memory: RSS sampled a few times; a steady rise is reported with its slope. */
import { defineCheck } from '../../engine/check.js'
import { rssKb } from '../../system/proc.js'
import { describeSelector, findProcesses, type ProcessSelector } from './target-process.js'

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length
  const mx = xs.reduce((a, b) => a + b, 0) / n
  const my = ys.reduce((a, b) => a + b, 0) / n
  let num = 0
  let den = 0
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my)
    den += (xs[i] - mx) ** 2
  }
  return den === 0 ? 0 : num / den
}

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`

export default defineCheck({
  meta: {
    id: 'process.memory',
    title: 'Process memory growth',
    targets: ['process'],
    description:
      'Samples the resident set size (VmRSS) of the process several times and fits a line: memory that rises at every sample at more than `minSlopeMbPerMin` is reported as a suspected leak, with the samples and the slope.',
    defaults: { samples: 5, intervalMs: 250, minSlopeMbPerMin: 10, minRisingShare: 0.75 },
    findings: {
      'process.memory-growth': {
        title: 'Process memory keeps growing (leak suspected)',
        fix: 'Take two heap snapshots a few minutes apart and compare what is retained (unbounded caches, listeners never removed, growing arrays); watch it over a longer window to confirm.',
        commands: ['ps -o pid,rss,etime,cmd -p {pid}'],
      },
    },
  },
  async run(ctx, o) {
    const sel = ctx.target.options as ProcessSelector
    const { pids, how } = await findProcesses(ctx)
    if (pids.length === 0) return ctx.skip(`${describeSelector(sel)} not found (${how}; see process.running)`)
    const pid = pids[0]
    const ts: number[] = []
    const kb: number[] = []
    const t0 = performance.now()
    for (let i = 0; i < o.samples; i++) {
      if (i > 0) {
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(resolve, o.intervalMs)
          ctx.signal.addEventListener('abort', () => (clearTimeout(t), reject(ctx.signal.reason)), { once: true })
        })
      }
      const v = await rssKb(pid)
      if (v === undefined) return ctx.skip(`pid ${pid} exited while sampling`)
      ts.push((performance.now() - t0) / 60_000)
      kb.push(v)
    }
    const perMin = slope(ts, kb) / 1024 // MB per minute
    let rises = 0
    for (let i = 1; i < kb.length; i++) if (kb[i] > kb[i - 1]) rises++
    const risingShare = rises / (kb.length - 1)
    ctx.observe('process.rssMb', Math.round(kb[kb.length - 1] / 1024))
    ctx.observe('process.rssSlopeMbPerMin', Math.round(perMin * 10) / 10)
    const evidence = [
      { label: `RSS of pid ${pid}`, observed: kb.map(mb).join(' → '), expected: 'flat' },
      { label: 'slope', observed: `${perMin.toFixed(1)} MB/min, rising at ${rises} of ${kb.length - 1} samples`, expected: `< ${o.minSlopeMbPerMin} MB/min` },
    ]
    if (perMin > o.minSlopeMbPerMin && risingShare >= o.minRisingShare) {
      ctx.finding('process.memory-growth', { severity: 'warning', title: `pid ${pid} grows ${perMin.toFixed(0)} MB/min`, evidence, commands: [`ps -o pid,rss,etime,cmd -p ${pid}`] })
    } else {
      ctx.ok(evidence[1])
    }
  },
})
