/** system.cpu: share of CPU time busy across all cores over a short window. */
import { defineCheck } from '../../engine/check.js'
import { busyPct, cpuTimes } from '../../system/proc.js'
import { cpus, loadavg } from 'node:os'

export default defineCheck({
  meta: {
    id: 'system.cpu',
    title: 'Host CPU',
    targets: ['host'],
    description: 'Samples /proc/stat twice a short window apart and reports the share of CPU time spent busy (all cores), with the load average for context.',
    defaults: { windowMs: 300, warningPct: 80 },
    findings: {
      'system.cpu-high': {
        title: 'CPU is saturated',
        fix: 'Find the busy processes (top, pidstat) and whether the load is expected; scale out or fix the hot path.',
        commands: ['top -b -n 1 | head -20'],
      },
    },
  },
  async run(ctx, o) {
    // CPU share needs some ticks to count (100 per second): never sample under 100 ms.
    o = { ...o, windowMs: Math.max(100, o.windowMs) }
    // medic's own start-up and checks run during the window: leave its CPU time out.
    const ownBefore = process.cpuUsage()
    const a = await cpuTimes()
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, o.windowMs)
      ctx.signal.addEventListener('abort', () => (clearTimeout(t), reject(ctx.signal.reason)), { once: true })
    })
    const b = await cpuTimes()
    const own = process.cpuUsage(ownBefore)
    const ownTicks = (own.user + own.system) / 10_000 // µs -> clock ticks (100 per second)
    const pct = busyPct(a, { idle: b.idle, total: b.total }, ownTicks)
    const [l1, l5] = loadavg()
    ctx.observe('system.cpuPct', Math.round(pct))
    const evidence = [
      { label: 'CPU busy', observed: `${pct.toFixed(0)} % over ${o.windowMs} ms, medic's own use left out (${cpus().length} cores, load ${l1.toFixed(2)} / ${l5.toFixed(2)})`, expected: `≤ ${o.warningPct} %` },
    ]
    if (pct > o.warningPct) ctx.finding('system.cpu-high', { severity: 'warning', title: `CPU ${pct.toFixed(0)} % busy`, evidence })
    else ctx.ok(evidence[0])
  },
})
