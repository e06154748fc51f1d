/** `medic check <family|check|finding|target>...`: just those checks (options: ../program.ts). */
import type { RunContext } from '../program.js'
import { executePlan, selectChecks, type CommonOptions } from '../pipeline.js'
import { loadTargets } from '../targets.js'

export async function run({ io, setExit }: RunContext, selectors: string[], opts: CommonOptions): Promise<void> {
  const loaded = await loadTargets(opts, io)
  const plan = selectChecks(selectors, loaded.targets)
  if (plan.length === 0) loaded.notes.push(`no target of a kind these checks need (${selectors.join(', ')}); targets: ${loaded.targets.map((t) => `${t.id} (${t.kind})`).join(', ') || 'none'}`)
  const { exitCode } = await executePlan(plan, loaded, opts, io)
  setExit(exitCode)
}
