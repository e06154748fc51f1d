/**
 * The logs checks share one pass over the configured sources per run (ctx.shared), each check then
 * judges its own part of the analysis with its own thresholds.
 */
import type { CheckContext } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { analyze, type Analysis } from '../../logs/analyze.js'
import { computeFindings, DEFAULT_THRESHOLDS, type LogFinding, type LogThresholds } from '../../logs/findings.js'
import { cutText } from '../../logs/render.js'
import { LEVEL, type SourceSpec } from '../../logs/types.js'

export interface LogsCheckOptions extends LogThresholds {
  /** Read at most this many bytes from the end of each plain file (keeps the check inside its deadline). */
  maxBytes: number
}

export const LOGS_DEFAULTS: LogsCheckOptions = { ...DEFAULT_THRESHOLDS, maxBytes: 32 * 1024 * 1024 }

export const LOGS_COMMANDS = ['medic logs {sources} --window {window}m', 'medic logs {sources} --json --top 20']

function specsOf(ctx: CheckContext): SourceSpec[] {
  const raw = (ctx.target.options.sources as SourceSpec[] | undefined) ?? []
  return raw.map((s) => ({ file: s.file, command: s.command, format: s.format, service: s.service }))
}

/** The run's analysis of this target's sources; skips the check when no source could be read. */
export async function logsAnalysis(ctx: CheckContext, o: LogsCheckOptions): Promise<Analysis> {
  const specs = specsOf(ctx)
  if (specs.length === 0) ctx.skip('no log sources configured (logs: in medic.yaml)')
  const a = await ctx.shared.get(`logs:${ctx.target.id}`, () =>
    analyze({
      sources: specs,
      // Relative paths are relative to medic.yaml's folder (the target's baseDir), as in the CLI.
      cwd: typeof ctx.target.options.baseDir === 'string' ? ctx.target.options.baseDir : process.cwd(),
      signal: ctx.signal,
      tailBytes: o.maxBytes,
      // A command that does not end (`docker logs -f`) is read until shortly before the deadline,
      // then stopped; the margin leaves time to judge what it wrote (files are read first).
      commandDeadline: Date.now() + commandBudgetMs(ctx.remainingMs()),
    }),
  )
  const failed = a.sources.filter((s) => s.problems.error)
  if (failed.length === a.sources.length) ctx.skip(`no log source could be read: ${failed.map((s) => `${s.name} (${s.problems.error})`).join(', ')}`)
  return a
}

/** The time a command source may take: the check's remaining time minus a margin (a fifth, 0.5 to 3 s). */
export function commandBudgetMs(remainingMs: number): number {
  return Math.max(0, remainingMs - Math.min(3000, Math.max(500, remainingMs * 0.2)))
}

/** Evidence for command sources stopped at the deadline (every logs finding carries it). */
export function cutEvidence(a: Analysis): Evidence[] {
  return a.sources.filter((s) => s.problems.cutAfterMs !== undefined).map((s) => ({ label: `source ${s.name}`, observed: `${s.lines} lines; ${cutText(s.problems.cutAfterMs!)}` }))
}

/** Findings of one id, plus the shared observations every logs check records. */
export function findingsOf(ctx: CheckContext, a: Analysis, o: LogsCheckOptions, id: LogFinding['id']): LogFinding[] {
  const all = computeFindings(a, o, ctx.config.deploys)
  const t = a.totals
  ctx.observe('logs.events', t.events)
  ctx.observe('logs.errors', t.errors)
  ctx.observe('logs.errorRatePct', t.events ? Math.round((t.errors / t.events) * 10000) / 100 : 0)
  ctx.observe('logs.groups', a.groups.length)
  ctx.observe('logs.lastEventAgeSeconds', t.last === t.last ? Math.max(0, Math.round((ctx.now() - t.last) / 1000)) : null)
  ctx.observe('logs.sourcesUnreadable', a.sources.filter((s) => s.problems.error).length)
  // When the errors began, for the diagnosis timeline: the first event of the busiest error group.
  const top = a.groups.filter((g) => g.level >= LEVEL.error && g.first === g.first).sort((x, y) => y.count - x.count)[0]
  // The last restart and migration the logs announce before that (for the timeline too).
  const cutoff = top ? top.first : Number.POSITIVE_INFINITY
  for (const kind of ['restart', 'migration'] as const) {
    const last = a.markers.filter((m) => m.kind === kind && m.ts === m.ts && m.ts <= cutoff).sort((x, y) => y.ts - x.ts)[0]
    if (last) ctx.observe(kind === 'restart' ? 'logs.lastRestartAt' : 'logs.lastMigrationAt', new Date(last.ts).toISOString())
  }
  if (top) {
    ctx.observe('logs.errorsBeganAt', new Date(top.first).toISOString())
    ctx.observe('logs.errorsBeganGroup', top.exception ? `${top.exception.type} ×${top.count}` : `${(top.example?.message ?? top.signature).slice(0, 60)} ×${top.count}`)
  }
  const cut = cutEvidence(a)
  return all.filter((f) => f.id === id).map((f) => (cut.length ? { ...f, evidence: [...f.evidence, ...cut] } : f))
}

export function commandsFor(ctx: CheckContext, o: LogsCheckOptions): string[] {
  const raw = (ctx.target.options.sources as SourceSpec[] | undefined) ?? []
  const sources = raw.map((s) => (s.file ? `'${s.file}'` : `--command '${s.command}'`)).join(' ')
  return LOGS_COMMANDS.map((c) => c.replace('{sources}', sources).replace('{window}', String(o.windowMinutes)))
}

/** What every source looked like, for the ✓ evidence. */
export function sourcesEvidence(a: Analysis): Evidence[] {
  return a.sources.map((s) => {
    const p = s.problems
    const bad = [p.error, p.cutAfterMs !== undefined && cutText(p.cutAfterMs), p.binaryLines && `${p.binaryLines} binary lines`, p.invalidUtf8Lines && `${p.invalidUtf8Lines} invalid UTF-8 lines`, p.oversizedLines && `${p.oversizedLines} over-long lines`, p.truncatedGzip && 'truncated gzip'].filter(Boolean)
    return { label: `source ${s.name}`, observed: `${s.format}, ${s.lines} lines${bad.length ? `; ${bad.join(', ')}` : ''}` }
  })
}
