/** `medic diagnose [symptom]` (and bare `medic`): every check on every target; with a symptom, its runbook ranks causes. */
import type { Command } from 'commander'
import { diagnoseSymptom, loadRunbooks, symptomNames } from '../../runbooks/index.js'
import { UserError } from '../../engine/errors.js'
import type { CliIO } from '../io.js'
import { addCommonOptions, executePlan, loadTargets, selectChecks, type CommonOptions } from '../pipeline.js'

export function register(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const action = async (symptom: string | undefined, opts: CommonOptions) => {
    const loaded = await loadTargets(opts, io)
    const runbooks = loadRunbooks(loaded.config, io.cwd)
    if (symptom !== undefined) {
      const runbook = runbooks.find(symptom)
      if (!runbook) throw new UserError(`unknown symptom "${symptom}"`, `Known symptoms: ${symptomNames(runbooks).join(', ')}.`)
      const plan = selectChecks([], loaded.targets).filter((p) => runbook.wants(p.check))
      const { exitCode } = await executePlan(plan, loaded, opts, io, (results) => diagnoseSymptom(runbook, results, plan))
      setExit(exitCode)
      return
    }
    const { exitCode } = await executePlan(selectChecks([], loaded.targets), loaded, opts, io)
    setExit(exitCode)
  }
  addCommonOptions(
    program
      .command('diagnose', { isDefault: true })
      .description('run every check on every target; with a symptom (500, 401, 403, 503, slow, startup, errors, memory, search) rank its likely causes')
      .argument('[symptom]', 'what users see: 500, 401, 403, 503, slow, startup, errors, memory, search'),
  ).action(action)
}
