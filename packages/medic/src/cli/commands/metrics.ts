/** `medic metrics <url>...`: scrape Prometheus text (or ask a Prometheus API with --prometheus) and apply the metrics checks. */
import type { Command } from 'commander'
import { configSchema } from '../../config/schema.js'
import { buildRedactor, resolveTargets } from '../../config/resolve.js'
import { UserError } from '../../engine/errors.js'
import type { CliIO } from '../io.js'
import { addCommonOptions, executePlan, selectChecks, type CommonOptions } from '../pipeline.js'

export function register(program: Command, io: CliIO, setExit: (code: number) => void): void {
  addCommonOptions(
    program
      .command('metrics')
      .description('scrape /metrics URLs (Prometheus text or OpenMetrics) and apply the metrics checks: p95 latency, 5xx rate, pool usage, dependency errors')
      .argument('<url...>', 'metrics URLs, or Prometheus base URLs with --prometheus')
      .option('--prometheus', 'the URLs are Prometheus-compatible query APIs (Prometheus, Thanos, Mimir, VictoriaMetrics)')
      .option('--job <name>', 'with --prometheus: only series of this job'),
  ).action(async (urls: string[], opts: CommonOptions & { prometheus?: boolean; job?: string }) => {
    const bad = urls.find((u) => !/^https?:\/\/[^/\s]+/i.test(u))
    if (bad) throw new UserError(`"${bad}" is not an http(s) URL`, 'Give the full URL, e.g. http://127.0.0.1:8000/metrics')
    const sources = urls.map((url) => (opts.prometheus ? { prometheus: url, ...(opts.job ? { job: opts.job } : {}) } : { url }))
    const config = configSchema.parse({ metrics: sources })
    const targets = resolveTargets(config, 'command line')
    const loaded = { config, targets, redactor: buildRedactor(config, {}), notes: [], vars: {}, files: [], baseDir: io.cwd }
    const { exitCode } = await executePlan(selectChecks(['metrics'], targets), loaded, opts, io)
    setExit(exitCode)
  })
}
