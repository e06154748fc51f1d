/**
 * `medic logs <source>...`: error groups, counts, rates, known errors and a per-minute timeline,
 * from files, globs (rotated, .gz), stdin or a command's output. `--emit records` writes every
 * event as one JSON line carrying its group id; `--follow` keeps reading and prints each new
 * warning/error as it arrives. Exit code: Nagios, from the logs.* findings.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pc from 'picocolors'
import { UserError } from '../../engine/errors.js'
import type { GroupStats } from '../../logs/aggregate.js'
import { analyze, type AnalyzeOptions } from '../../logs/analyze.js'
import { clip, computeFindings, DEFAULT_THRESHOLDS, fmtTime, redactText } from '../../logs/findings.js'
import { commandDeadline, LEVEL, parseLevel, sourcesFrom, timeRange } from '../../logs/options.js'
import { progressBar } from '../../logs/progress.js'
import { resolveSources } from '../../logs/sources.js'
import { cutText, logsJson, logsText, statusOf } from '../../logs/render.js'
import { levelName, type LogEvent } from '../../logs/types.js'
import { parseDuration } from '../../util/duration.js'
import { EXIT, type CliIO } from '../io.js'
import type { RunContext } from '../program.js'

interface LogsOptions {
  command: string[]
  since?: string
  until?: string
  level?: string
  service?: string
  group?: string
  top?: string
  follow?: boolean
  json?: boolean
  format?: string
  inputFormat?: string
  emit?: string
  window?: string
  config?: string
  color?: boolean
  progress?: boolean
  timeout?: string
  jobs?: string
}

/**
 * Writes to a pipe are queued when the reader is slower (`| jq`, `| head`): wait for the queue to
 * drain now and then so a million records never sit in memory. (A no-op when the CLI's stdout is
 * not the process's, as in tests.)
 */
async function drained(): Promise<boolean> {
  const out = process.stdout
  if (out.destroyed || out.errored) return false
  if (out.writableLength <= 8 << 20) return true
  await new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done)
      out.off('close', done)
      out.off('error', done)
      resolve()
    }
    out.on('drain', done)
    out.on('close', done)
    out.on('error', done)
  })
  return !out.destroyed && !out.errored
}

let isoSecond = NaN
let isoPrefix = ''
/** ISO time with milliseconds, the seconds part cached (consecutive events share it). */
function isoOf(ts: number): string {
  const sec = Math.floor(ts / 1000)
  if (sec !== isoSecond) {
    isoSecond = sec
    isoPrefix = new Date(sec * 1000).toISOString().slice(0, 19)
  }
  const ms = ts - sec * 1000
  return `${isoPrefix}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${Math.floor(ms)}Z`
}

/**
 * The fields of one record after `"group":…,"source":…,` (both filled in when written, for stable
 * ids and names), as JSON text without the opening brace.
 */
function recordRest(ev: LogEvent): string {
  // the message's credential patterns here (before JSON escaping hides them); known secret values
  // are masked on the written text (see below)
  const msg = ev.message.length > 2000 ? ev.message.slice(0, 2000) + '…' : ev.message
  let out = `"line":${ev.line},"ts":${ev.ts === ev.ts ? `"${isoOf(ev.ts)}"` : 'null'},"level":"${levelName(ev.level)}"`
  if (ev.service) out += `,"service":${JSON.stringify(ev.service)}`
  out += `,"message":${JSON.stringify(redactText(msg))}`
  if (ev.traceId) out += `,"traceId":${JSON.stringify(ev.traceId)}`
  if (ev.status) out += `,"status":${ev.status}`
  if (ev.exception) out += `,"exception":${JSON.stringify(ev.exception.type)}`
  if (ev.raw.indexOf('\n') >= 0) out += `,"lines":${ev.raw.split('\n').length}`
  return out + '}'
}

export async function run({ io, setExit }: RunContext, sources: string[], opts: LogsOptions): Promise<void> {
  const json = opts.json || opts.format === 'json'
  if (opts.format && !['text', 'json'].includes(opts.format)) throw new UserError(`unknown output format "${opts.format}"`, 'Use --format text or --format json.')
  if (opts.emit && opts.emit !== 'records') throw new UserError(`unknown --emit "${opts.emit}"`, 'Only --emit records is supported.')
  const range = timeRange(opts.since, opts.until)
  const groupId = opts.group?.toLowerCase()
  if (groupId !== undefined && !/^[0-9a-f]{1,10}$/.test(groupId)) throw new UserError(`--group "${opts.group}" is not a group id`, 'Group ids are the 10 hex digits shown by `medic logs <source>`; the first few digits are enough.')
  const deadline = commandDeadline(opts.timeout, Boolean(opts.follow))
  const { specs, deploys, redactor } = await sourcesFrom({ sources, command: opts.command, config: opts.config, inputFormat: opts.inputFormat }, io.cwd, io.env, Boolean((io.stdin as { isTTY?: boolean }).isTTY))
  // Everything written passes through diagnose's redaction: known secret values (config, env,
  // .env) and credential patterns.
  const out = (text: string) => io.stdout(redactor.redact(text))
  const err = (text: string) => io.stderr(redactor.redact(text))
  const minLevel = opts.level ? parseLevel(opts.level) : LEVEL.warn
  const top = opts.top ? Number.parseInt(opts.top, 10) : json ? 100 : 10
  if (!(top > 0)) throw new UserError(`--top "${opts.top}" is not a positive number`)
  const thresholds = { ...DEFAULT_THRESHOLDS, ...(opts.window ? { windowMinutes: parseDuration(opts.window, '--window') / 60_000 } : {}) }
  const jobs = opts.jobs === undefined ? undefined : Number(opts.jobs)
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) throw new UserError(`--jobs "${opts.jobs}" is not a positive whole number`, 'Use --jobs 1 to read each file in one pass, or leave it out to use every core.')
  const color = opts.color !== false && io.stdoutIsTTY && !io.env.NO_COLOR
  const progress = opts.progress === false || opts.follow ? progressBar(io.stderr, false) : progressBar(err, io.stderrIsTTY)
  const base: AnalyzeOptions = {
    sources: specs,
    cwd: io.cwd,
    stdin: io.stdin,
    since: range.since,
    until: range.until,
    commandDeadline: deadline,
    groupLevel: minLevel,
    service: opts.service,
    jobs,
    onProgress: (p) => progress.update(p),
  }

  // --emit records: spool "ref\t{json}" lines, then write them with the final group ids.
  let spool: { dir: string; fd: number; buf: string[]; size: number } | null = null
  const ac = new AbortController()
  const onSigint = () => ac.abort()
  if (opts.follow) {
    process.once('SIGINT', onSigint)
    base.follow = true
    base.signal = ac.signal
    // like `tail -f`: what is appended from now on, unless --since asks for the past too
    base.fromEnd = !opts.since
  }
  const names: string[] = []
  if (opts.emit === 'records') {
    base.groupAll = true
    if (opts.follow) {
      // records are written as they come: name the sources up front
      for (const r of await resolveSources(specs, io.cwd)) names.push(r.name)
      base.onEvent = (ev, g) => out(`{"group":"${g ? g.provisionalId() : ''}","source":${JSON.stringify(names[ev.source] ?? String(ev.source))},${recordRest(ev)}\n`)
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'medic-logs-'))
      spool = { dir, fd: openSync(join(dir, 'records'), 'w'), buf: [], size: 0 }
      const sp = spool
      base.onEvent = (ev, g) => {
        const line = `${g ? g.ref : -1}\t${ev.source}\t${recordRest(ev)}\n`
        sp.buf.push(line)
        sp.size += line.length
        if (sp.size > 1 << 20) {
          writeSync(sp.fd, sp.buf.join(''))
          sp.buf = []
          sp.size = 0
        }
      }
    }
  } else if (opts.follow) {
    const seen = new Set<GroupStats>()
    base.onEvent = (ev, g) => {
      if (!g || ev.level < minLevel) return
      const isNew = !seen.has(g)
      seen.add(g)
      const lvl = levelName(ev.level)
      const paint = ev.level >= LEVEL.error && color ? pc.red : (s: string) => s
      out(`${fmtTime(ev.ts)} ${paint(lvl.padEnd(5))} ${isNew ? (color ? pc.yellow('NEW ') : 'NEW ') : ''}[${g.count}×] ${redactText(clip(ev.exception ? `${ev.exception.type}: ${ev.exception.message}` : ev.message, 200))}${ev.traceId ? ` (request ${ev.traceId})` : ''}\n`)
    }
  }

  let analysis
  try {
    analysis = await analyze(base)
  } finally {
    progress.done()
    if (opts.follow) process.removeListener('SIGINT', onSigint)
  }
  names.length = 0
  for (const s of analysis.sources) names.push(s.name)

  if (spool) {
    if (spool.buf.length) writeSync(spool.fd, spool.buf.join(''))
    closeSync(spool.fd)
    const ids = analysis.idOfRef
    const sourceJson = names.map((n) => JSON.stringify(redactor.redact(n)))
    const mask = (t: string) => redactor.redactKnown(t)
    try {
      // read the spool back in bounded chunks (readline's iterator would queue the whole file)
      const fd = openSync(join(spool.dir, 'records'), 'r')
      const buf = Buffer.alloc(1 << 20)
      let carry = ''
      try {
        for (;;) {
          const n = readSync(fd, buf, 0, buf.length, null)
          if (n === 0) break
          const text = carry + buf.toString('utf8', 0, n)
          const last = text.lastIndexOf('\n')
          if (last < 0) {
            carry = text
            continue
          }
          carry = text.slice(last + 1)
          const lines: string[] = []
          let i = 0
          while (i <= last) {
            const e = text.indexOf('\n', i)
            const tab = text.indexOf('\t', i)
            const tab2 = text.indexOf('\t', tab + 1)
            const ref = Number(text.slice(i, tab))
            const src = Number(text.slice(tab + 1, tab2))
            lines.push(`{"group":"${ref >= 0 ? ids[ref] : ''}","source":${sourceJson[src] ?? '""'},${text.slice(tab2 + 1, e)}\n`)
            i = e + 1
          }
          // known secrets: one pass per ~1 MiB written, not per record
          io.stdout(mask(lines.join('')))
          // the reader went away (`| head`): stop writing
          if (!(await drained())) break
        }
      } finally {
        closeSync(fd)
      }
    } finally {
      rmSync(spool.dir, { recursive: true, force: true })
    }
  }

  const allFailed = analysis.sources.length > 0 && analysis.sources.every((s) => s.problems.error)
  for (const s of analysis.sources) {
    if (s.problems.error) err(`medic logs: ${s.name}: ${s.problems.error}\n`)
    if (s.problems.cutAfterMs !== undefined) err(`medic logs: ${s.name}: ${cutText(s.problems.cutAfterMs)} (--timeout ${opts.timeout ?? '10s'}; --timeout 0 waits for the command to end)\n`)
  }
  const findings = computeFindings(analysis, thresholds, deploys)
  if (!opts.emit) {
    if (groupId !== undefined && !allFailed && !analysis.groups.some((g) => g.id.startsWith(groupId))) {
      throw new UserError(`no group ${opts.group} in this input (${analysis.groups.length} groups at --level ${levelName(minLevel)} or above)`, 'Run without --group to list the groups and their ids, or lower --level.')
    }
    const ro = { top, minLevel, groupId, color, timeFiltered: opts.since !== undefined || opts.until !== undefined }
    if (json) io.stdout(`${redactor.stringify(logsJson(analysis, findings, ro), 2)}\n`)
    else out(logsText(analysis, findings, ro))
  }
  if (allFailed) {
    setExit(EXIT.UNKNOWN)
    return
  }
  const status = statusOf(findings)
  setExit(status === 'critical' ? EXIT.CRITICAL : status === 'warning' ? EXIT.WARNING : EXIT.OK)
}
