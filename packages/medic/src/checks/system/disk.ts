/** system.disk: how full each real filesystem is, as `df` counts it. */
import { defineCheck } from '../../engine/check.js'
import { diskUsage, mounts } from '../../system/proc.js'

const gb = (b: number) => `${(b / 1e9).toFixed(1)} GB`

export default defineCheck({
  meta: {
    id: 'system.disk',
    title: 'Disk space',
    targets: ['host'],
    description: 'statfs on every mounted data filesystem (ext4, xfs, btrfs, overlay, ...); used share = used / (used + available), as df shows it.',
    defaults: { warningPct: 85, criticalPct: 95 },
    findings: {
      'system.disk-full': {
        title: 'A filesystem is nearly full',
        fix: 'Free space (old logs, docker images, core dumps, WAL or binlogs kept too long), or grow the volume; databases and Redis persistence fail when it fills.',
        commands: ['df -h', 'du -xh --max-depth=1 {mountpoint} | sort -h | tail'],
      },
    },
  },
  async run(ctx, o) {
    let worst = 0
    const ok: string[] = []
    for (const m of await mounts()) {
      let u: Awaited<ReturnType<typeof diskUsage>>
      try {
        u = await diskUsage(m.mountpoint)
      } catch {
        continue // unmounted meanwhile or no permission
      }
      worst = Math.max(worst, u.usedPct)
      const evidence = [{ label: m.mountpoint, observed: `${u.usedPct.toFixed(0)} % used (${gb(u.usedBytes)} used, ${gb(u.availBytes)} free, ${m.fstype} on ${m.device})`, expected: `≤ ${o.warningPct} %` }]
      if (u.usedPct > o.warningPct) {
        ctx.finding('system.disk-full', {
          severity: u.usedPct > o.criticalPct ? 'critical' : 'warning',
          title: `${m.mountpoint} is ${u.usedPct.toFixed(0)} % full`,
          evidence,
          commands: ['df -h', `du -xh --max-depth=1 ${m.mountpoint} | sort -h | tail`],
        })
      } else {
        ok.push(`${m.mountpoint} ${u.usedPct.toFixed(0)} %`)
      }
    }
    ctx.observe('system.diskMaxPct', Math.round(worst))
    if (ok.length) ctx.ok({ label: 'used', observed: ok.join(', '), expected: `≤ ${o.warningPct} %` })
  },
})
