/**
 * `medic trace <id> <source>...`: one request's events from every source, in time order, with the
 * gaps and the failing step marked. The id is a request, correlation or trace id (a W3C traceparent
 * matches by its trace id). Exit: 0 found and no failure, 2 a step failed, 1 nothing carries the id.
 */
import pc from 'picocolors'
import { UserError } from '../../engine/errors.js'
import { traceFromParent } from '../../logs/parse/fields.js'
import { commandDeadline, sourcesFrom, timeRange } from '../../logs/options.js'
import { cutText } from '../../logs/render.js'
import { progressBar } from '../../logs/progress.js'
import { traceJson, traceRequest, traceText } from '../../logs/trace.js'
import { parseDuration } from '../../util/duration.js'
import { EXIT, type CliIO } from '../io.js'
import type { RunContext } from '../program.js'

interface TraceOptions {
  command: string[]
  since?: string
  until?: string
  json?: boolean
  format?: string
  inputFormat?: string
  gap?: string
  config?: string
  color?: boolean
  progress?: boolean
  timeout?: string
}

const collect = (v: string, prev: string[]) => [...prev, v]
const plain = { red: (s: string) => s, dim: (s: string) => s, yellow: (s: string) => s, bold: (s: string) => s }

export async function run({ io, setExit }: RunContext, rawId: string, sources: string[], opts: TraceOptions): Promise<void> {
  const id = traceFromParent(rawId.trim())
  if (id.length < 4) throw new UserError(`id "${rawId}" is too short to search for`, 'Pass the full request, correlation or trace id.')
  const json = opts.json || opts.format === 'json'
  const range = timeRange(opts.since, opts.until)
  const deadline = commandDeadline(opts.timeout, false)
  const { specs, redactor } = await sourcesFrom({ sources, command: opts.command, config: opts.config, inputFormat: opts.inputFormat }, io.cwd, io.env, Boolean((io.stdin as { isTTY?: boolean }).isTTY))
  const progress = opts.progress === false ? progressBar(io.stderr, false) : progressBar((s) => io.stderr(redactor.redact(s)), io.stderrIsTTY)
  let r
  try {
    r = await traceRequest(id, {
      sources: specs,
      cwd: io.cwd,
      stdin: io.stdin,
      since: range.since,
      until: range.until,
      commandDeadline: deadline,
      gapMs: opts.gap ? parseDuration(opts.gap, '--gap') : undefined,
      onProgress: (p) => progress.update(p),
    })
  } finally {
    progress.done()
  }
  // Everything written passes through diagnose's redaction (known secrets of config, env, .env; credential patterns).
  for (const s of r.sources) {
    if (s.problems.error) io.stderr(redactor.redact(`medic trace: ${s.name}: ${s.problems.error}\n`))
    if (s.problems.cutAfterMs !== undefined) io.stderr(redactor.redact(`medic trace: ${s.name}: ${cutText(s.problems.cutAfterMs)} (--timeout ${opts.timeout ?? '10s'}; --timeout 0 waits for the command to end)\n`))
  }
  const color = opts.color !== false && io.stdoutIsTTY && !io.env.NO_COLOR
  io.stdout(json ? `${redactor.stringify(traceJson(r), 2)}\n` : redactor.redact(traceText(r, color ? pc : plain)))
  if (r.sources.every((s) => s.problems.error)) setExit(EXIT.UNKNOWN)
  else if (r.steps.length === 0) setExit(EXIT.WARNING)
  else setExit(r.failingIndex >= 0 ? EXIT.CRITICAL : EXIT.OK)
}
