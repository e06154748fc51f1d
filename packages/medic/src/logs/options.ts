/** Command-line pieces shared by `medic logs` and `medic trace`: sources, times, levels. */
import { existsSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { loadConfigFile } from '../config/load.js'
import { UserError } from '../engine/errors.js'
import { parseDuration } from '../util/duration.js'
import { levelWord } from './parse/level.js'
import { LEVEL, type SourceSpec } from './types.js'

/** `10m` (before now) or an ISO date/time. */
export function parseWhen(text: string, what: string, now = Date.now()): number {
  if (/^\s*\d+(?:\.\d+)?\s*(ms|s|m|h|d)?\s*$/i.test(text)) return now - parseDuration(text, what)
  const t = Date.parse(text)
  if (Number.isNaN(t)) throw new UserError(`${what} "${text}" is neither a duration nor a date`, 'Use 10m, 2h, 1d or an ISO time such as 2026-11-22T02:00:00Z.')
  return t
}

export function parseLevel(text: string): number {
  const l = levelWord(text)
  if (!l) throw new UserError(`unknown level "${text}"`, 'Use trace, debug, info, warn, error or fatal.')
  return l
}

export interface SourceArgs {
  sources: string[]
  command?: string[]
  config?: string
  inputFormat?: string
}

/**
 * Sources from the arguments (`-` is stdin), `--command`, else `logs:` of medic.yaml, else stdin
 * when it is piped. None at all is a usage error.
 */
export function sourcesFrom(o: SourceArgs, cwd: string, env: Record<string, string | undefined>, stdinIsTTY: boolean): { specs: SourceSpec[]; deploys: { at: string; what: string }[] } {
  const specs: SourceSpec[] = []
  for (const s of o.sources) specs.push(s === '-' ? { stdin: true, format: o.inputFormat } : { file: s, format: o.inputFormat })
  for (const c of o.command ?? []) specs.push({ command: c, format: o.inputFormat })
  let deploys: { at: string; what: string }[] = []
  const configPath = o.config ?? (existsSync(resolve(cwd, 'medic.yaml')) ? 'medic.yaml' : undefined)
  if (configPath) {
    const loaded = loadConfigFile(resolve(cwd, configPath), env)
    deploys = loaded.config.deploys
    // relative paths in medic.yaml are relative to the file itself
    const base = dirname(resolve(cwd, configPath))
    if (specs.length === 0) for (const l of loaded.config.logs) specs.push({ ...l, ...('file' in l && l.file && !isAbsolute(l.file) ? { file: resolve(base, l.file) } : {}), format: o.inputFormat ?? l.format })
  }
  if (specs.length === 0 && !stdinIsTTY) specs.push({ stdin: true, format: o.inputFormat })
  if (specs.length === 0) throw new UserError('no log source given', 'Name files or globs (medic logs /var/log/app/*.log), use --command "docker logs api --since 10m", pipe into stdin, or list sources under logs: in medic.yaml.')
  return { specs, deploys }
}

export { LEVEL }
