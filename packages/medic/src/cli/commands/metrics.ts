/** `medic metrics <url>...`: scrape Prometheus text (or ask a Prometheus API with --prometheus) and apply the metrics checks. */
import { configSchema } from '../../config/schema.js'
import { buildRedactor, resolveTargets } from '../../config/resolve.js'
import { UserError } from '../../engine/errors.js'
import type { CliIO } from '../io.js'
import type { RunContext } from '../program.js'
import { executePlan, selectChecks, type CommonOptions } from '../pipeline.js'

export async function run({ io, setExit }: RunContext, urls: string[], opts: CommonOptions & { prometheus?: boolean; job?: string }): Promise<void> {
  const bad = urls.find((u) => !/^https?:\/\/[^/\s]+/i.test(u))
  if (bad) throw new UserError(`"${bad}" is not an http(s) URL`, 'Give the full URL, e.g. http://127.0.0.1:8000/metrics')
  const sources = urls.map((url) => (opts.prometheus ? { prometheus: url, ...(opts.job ? { job: opts.job } : {}) } : { url }))
  const config = configSchema.parse({ metrics: sources })
  const targets = resolveTargets(config, 'command line')
  const loaded = { config, targets, redactor: buildRedactor(config, {}), notes: [], vars: {}, files: [], baseDir: io.cwd }
  const { exitCode } = await executePlan(selectChecks(['metrics'], targets), loaded, opts, io)
  setExit(exitCode)
}
