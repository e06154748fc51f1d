/** Find the pids a `process` target names (pid, name or listening port). */
import type { CheckContext } from '../../engine/check.js'
import { listenerOf, pidsByName, processName } from '../../system/proc.js'

export interface ProcessSelector {
  pid?: number
  name?: string
  port?: number
  container?: string
}

export function describeSelector(s: ProcessSelector): string {
  return s.pid ? `pid ${s.pid}` : s.name ? `process "${s.name}"` : s.port ? `a listener on port ${s.port}` : s.container ? `container ${s.container}` : 'no process'
}

/** Pids found, or an empty list with the reason. Shared by the process checks of one target. */
export function findProcesses(ctx: CheckContext): Promise<{ pids: number[]; how: string }> {
  const s = ctx.target.options as ProcessSelector
  return ctx.shared.get(`process:${ctx.target.id}`, async () => {
    if (s.pid) return { pids: (await processName(s.pid)) ? [s.pid] : [], how: `pid ${s.pid}` }
    if (s.name) return { pids: await pidsByName(s.name), how: `name ${s.name}` }
    if (s.port) {
      const l = await listenerOf(s.port)
      if (l.listening && !l.pid) return { pids: [], how: `port ${s.port} (listening, owner not visible to medic)` }
      return { pids: l.pid ? [l.pid] : [], how: `port ${s.port}` }
    }
    return { pids: [], how: 'nothing to look for' }
  })
}
