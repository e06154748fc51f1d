/** `medic diagnose [symptom]` (and bare `medic`): every check on every target; with a symptom, its runbook ranks causes (options: ../program.ts). */
import { diagnoseSymptom, loadRunbooks, symptomNames } from '../../runbooks/index.js'
import { UserError } from '../../engine/errors.js'
import type { CliIO } from '../io.js'
import type { RunContext } from '../program.js'
import { authSchema, jwtSchema } from '../../config/schema.js'
import { resolveTargets } from '../../config/resolve.js'
import { executePlan, selectChecks, type CommonOptions } from '../pipeline.js'
import { loadTargets, placeTargets, type Loaded } from '../targets.js'

export async function run({ io, setExit }: RunContext, symptom: string | undefined, opts: CommonOptions & { token?: string }): Promise<void> {
  const loaded = withToken(await loadTargets(opts, io), opts.token, io.env)
  if (symptom !== undefined) {
    const runbooks = loadRunbooks(loaded.config, loaded.baseDir)
    const runbook = runbooks.find(symptom)
    if (!runbook) throw new UserError(`unknown symptom "${symptom}"`, `Known symptoms: ${symptomNames(runbooks).join(', ')}.`)
    const plan = selectChecks([], loaded.targets).filter((p) => runbook.wants(p.check))
    const { exitCode } = await executePlan(plan, loaded, opts, io, (results) => diagnoseSymptom(runbook, results, plan, { config: loaded.config, files: loaded.files }))
    setExit(exitCode)
    return
  }
  // No runbook ranks anything without a symptom: the team's own are still read, so a broken one is
  // reported as before; the built-in ones (checked by the tests) are not parsed for nothing (~0.1 s).
  if (loaded.config.runbooks !== undefined) loadRunbooks(loaded.config, loaded.baseDir)
  const { exitCode } = await executePlan(selectChecks([], loaded.targets), loaded, opts, io)
  setExit(exitCode)
}

/** `--token`: analyse this token as auth.jwt.token, creating the auth target when the config has none. */
function withToken(loaded: Loaded, token: string | undefined, env: CliIO['env']): Loaded {
  if (!token) return loaded
  loaded.redactor.add(token.replace(/^\s*(authorization:\s*)?bearer\s+/i, '').trim())
  const auth = loaded.config.auth ?? authSchema.parse({})
  const config = { ...loaded.config, auth: { ...auth, jwt: jwtSchema.parse({ ...(auth.jwt ?? {}), token }) } }
  // The auth target exactly as a config with this token would make it.
  const authTargets = placeTargets(resolveTargets(config, '--token'), loaded.baseDir, env).filter((t) => t.kind === 'auth')
  return { ...loaded, config, targets: [...loaded.targets.filter((t) => t.kind !== 'auth'), ...authTargets] }
}
