/** system.memory: memory in use (total minus available) on the host. */
import { defineCheck } from '../../engine/check.js'
import { memInfo } from '../../system/proc.js'

const gib = (kb: number) => `${(kb / 1024 / 1024).toFixed(1)} GiB`

export default defineCheck({
  meta: {
    id: 'system.memory',
    title: 'Host memory',
    targets: ['host'],
    description: 'Reads /proc/meminfo: memory in use is MemTotal minus MemAvailable (what the kernel could free counts as available).',
    defaults: { warningPct: 80, criticalPct: 95 },
    findings: {
      'system.memory-high': {
        title: 'Host memory nearly exhausted',
        fix: 'Find the largest processes (ps --sort=-rss), look for a leak (`medic diagnose memory`), set memory limits or add memory.',
        commands: ['free -m', 'ps -eo pid,rss,comm --sort=-rss | head'],
      },
    },
  },
  async run(ctx, o) {
    const m = await memInfo()
    if (m.totalKb === 0) return ctx.skip('cannot read /proc/meminfo')
    const usedKb = m.totalKb - m.availableKb
    const pct = (usedKb / m.totalKb) * 100
    ctx.observe('system.memoryPct', Math.round(pct))
    const evidence = [{ label: 'memory in use', observed: `${gib(usedKb)} of ${gib(m.totalKb)} (${pct.toFixed(0)} %)`, expected: `≤ ${o.warningPct} %` }]
    if (m.swapTotalKb > 0) evidence.push({ label: 'swap in use', observed: `${gib(m.swapTotalKb - m.swapFreeKb)} of ${gib(m.swapTotalKb)}`, expected: 'little' })
    if (pct > o.warningPct) ctx.finding('system.memory-high', { severity: pct > o.criticalPct ? 'critical' : 'warning', title: `Memory ${pct.toFixed(0)} % in use`, evidence })
    else ctx.ok(evidence[0])
  },
})
