/** Command-line pieces shared by `medic logs` and `medic trace`: sources, times, levels. */
import { existsSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { readDotEnv } from '../config/dotenv.js'
import { buildRedactor } from '../config/resolve.js'
import type { MedicConfig } from '../config/schema.js'
import type { Redactor } from '../engine/redact.js'
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

/** `--since`/`--until` as epoch ms; an empty or inverted range is a usage error. */
export function timeRange(since: string | undefined, until: string | undefined, now = Date.now()): { since?: number; until?: number } {
  const s = since ? parseWhen(since, '--since', now) : undefined
  const u = until ? parseWhen(until, '--until', now) : undefined
  if (s !== undefined && u !== undefined && s >= u) {
    throw new UserError(
      `--since ${since} (${new Date(s).toISOString()}) is not before --until ${until} (${new Date(u).toISOString()}): no event can match`,
      'Durations count back from now: --since 10m --until 5m is the window from 10 to 5 minutes ago.',
    )
  }
  return { since: s, until: u }
}

/**
 * How long command sources are read (`--timeout`): `10s` by default, no limit with `--follow`
 * unless given; `0` means no limit. Returns the epoch-ms deadline, or undefined for none.
 */
export function commandDeadline(timeout: string | undefined, follow: boolean, now = Date.now()): number | undefined {
  if (timeout === undefined) return follow ? undefined : now + DEFAULT_COMMAND_TIMEOUT_MS
  if (/^\s*0+\s*(ms|s|m|h|d)?\s*$/i.test(timeout)) return undefined
  return now + parseDuration(timeout, '--timeout')
}
export const DEFAULT_COMMAND_TIMEOUT_MS = 10_000

/**
 * The redaction `diagnose` applies: known secret values from the config (medic.yaml or the default
 * one) and from the environment plus the working directory's .env (PG_PASSWORD, JWT_SECRET_KEY…),
 * then the patterns for credentials nobody declared.
 */
export function redactorFor(config: MedicConfig | undefined, configVars: Record<string, string | undefined> | undefined, cwd: string, env: Record<string, string | undefined>): Redactor {
  const vars = { ...readDotEnv(resolve(cwd, '.env')).values, ...(configVars ?? {}), ...env }
  // no medic.yaml: nothing in a config to mask (the YAML reader and schemas stay unloaded)
  return buildRedactor(config ?? ({} as MedicConfig), vars)
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
export async function sourcesFrom(
  o: SourceArgs,
  cwd: string,
  env: Record<string, string | undefined>,
  stdinIsTTY: boolean,
): Promise<{ specs: SourceSpec[]; deploys: { at: string; what: string }[]; redactor: Redactor }> {
  const specs: SourceSpec[] = []
  for (const s of o.sources) specs.push(s === '-' ? { stdin: true, format: o.inputFormat } : { file: s, format: o.inputFormat })
  for (const c of o.command ?? []) specs.push({ command: c, format: o.inputFormat })
  let deploys: { at: string; what: string }[] = []
  let config: MedicConfig | undefined
  let configVars: Record<string, string | undefined> | undefined
  const configPath = o.config ?? (existsSync(resolve(cwd, 'medic.yaml')) ? 'medic.yaml' : undefined)
  if (configPath) {
    const { loadConfigFile } = await import('../config/load.js')
    const loaded = loadConfigFile(resolve(cwd, configPath), env)
    deploys = loaded.config.deploys
    config = loaded.config
    configVars = loaded.vars
    // relative paths in medic.yaml are relative to the file itself
    const base = dirname(resolve(cwd, configPath))
    if (specs.length === 0) for (const l of loaded.config.logs) specs.push({ ...l, ...('file' in l && l.file && !isAbsolute(l.file) ? { file: resolve(base, l.file) } : {}), format: o.inputFormat ?? l.format })
  }
  if (specs.length === 0 && !stdinIsTTY) specs.push({ stdin: true, format: o.inputFormat })
  if (specs.length === 0) throw new UserError('no log source given', 'Name files or globs (medic logs /var/log/app/*.log), use --command "docker logs api --since 10m", pipe into stdin, or list sources under logs: in medic.yaml.')
  return { specs, deploys, redactor: redactorFor(config, configVars, cwd, env) }
}

export { LEVEL }
