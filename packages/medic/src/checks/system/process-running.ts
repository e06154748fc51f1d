/** process.running: the configured process exists (and did not just restart). */
import { defineCheck } from '../../engine/check.js'
import { listenerOf, processName, startedAt } from '../../system/proc.js'
import { describeSelector, findProcesses, type ProcessSelector } from './target-process.js'

function ago(ms: number): string {
  const s = Math.round(ms / 1000)
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`
}

export default defineCheck({
  meta: {
    id: 'process.running',
    title: 'Process running',
    targets: ['process'],
    description:
      'Looks for the configured process by pid, name (comm or an argument of its command line) or the TCP port it listens on; reports it missing, and reports a very recent start (a restart loop shows as a process that is always young).',
    defaults: { recentStartSeconds: 30 },
    findings: {
      'process.not-running': {
        title: 'The process is not running',
        fix: 'Start it (systemctl start, docker start, the supervisor), then read its last log lines for why it stopped.',
        commands: ['ps -eo pid,lstart,cmd | grep -i {name}', 'ss -ltnp'],
      },
    },
  },
  async run(ctx, o) {
    const sel = ctx.target.options as ProcessSelector
    if (sel.container && !sel.pid && !sel.name && !sel.port) return ctx.skip('containers are not supported yet: give the pid, name or port of the process instead')
    const { pids, how } = await findProcesses(ctx)
    ctx.observe('process.running', pids.length > 0)
    if (pids.length === 0) {
      if (sel.port && (await listenerOf(sel.port)).listening) {
        ctx.ok({ label: 'port', observed: `${sel.port} is listening (owner not visible to medic)` })
        return
      }
      ctx.finding('process.not-running', {
        severity: 'critical',
        title: `${describeSelector(sel)} is not running`,
        evidence: [{ label: 'looked for', observed: `${how}: nothing found`, expected: 'a running process' }],
        commands: sel.port ? ['ss -ltnp'] : [`ps -eo pid,lstart,cmd | grep -i ${sel.name ?? sel.pid}`],
      })
      return
    }
    const starts = (await Promise.all(pids.map((p) => startedAt(p)))).filter((d): d is Date => Boolean(d))
    const newest = starts.length ? Math.max(...starts.map((d) => d.getTime())) : undefined
    if (newest) ctx.observe('process.startedAt', new Date(newest).toISOString())
    const names = await Promise.all(pids.slice(0, 3).map(async (p) => `${p} (${(await processName(p))?.comm ?? '?'})`))
    const age = newest ? ctx.now() - newest : undefined
    const evidence = [{ label: 'running', observed: `${names.join(', ')}${pids.length > 3 ? ` +${pids.length - 3}` : ''}${age !== undefined ? `, started ${ago(age)} ago` : ''}` }]
    if (age !== undefined && age < o.recentStartSeconds * 1000) {
      ctx.finding('process.not-running', {
        severity: 'warning',
        title: `${describeSelector(sel)} started only ${ago(age)} ago (restarting?)`,
        evidence: [{ ...evidence[0], expected: `up for more than ${o.recentStartSeconds} s` }],
        fix: 'A process that is always young is crash-looping: read its logs from just before the restart (exit code, OOM kill in dmesg).',
      })
      return
    }
    ctx.ok(evidence[0])
  },
})
