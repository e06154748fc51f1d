/** `medic check <family|check|finding|target>...`: just those checks. */
import type { Command } from 'commander'
import type { CliIO } from '../io.js'
import { addCommonOptions, executePlan, loadTargets, selectChecks, type CommonOptions } from '../pipeline.js'

export function register(program: Command, io: CliIO, setExit: (code: number) => void): void {
  addCommonOptions(
    program
      .command('check')
      .description('run only the named checks: a family (postgres), a check id (redis.latency), a finding id or a target id')
      .argument('<selector...>', 'families, check ids, finding ids or target ids'),
  ).action(async (selectors: string[], opts: CommonOptions) => {
    const loaded = await loadTargets(opts, io)
    const plan = selectChecks(selectors, loaded.targets)
    if (plan.length === 0) loaded.notes.push(`no target of a kind these checks need (${selectors.join(', ')}); targets: ${loaded.targets.map((t) => `${t.id} (${t.kind})`).join(', ') || 'none'}`)
    const { exitCode } = await executePlan(plan, loaded, opts, io)
    setExit(exitCode)
  })
}
