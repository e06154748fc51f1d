/**
 * Where a command's targets come from: medic.yaml (./medic.yaml or --config), else discovery
 * (environment, .env, a compose file, the local ports), with the redactor that knows their secrets.
 */
import { existsSync, lstatSync, readlinkSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { stringify } from 'yaml'
import type { AnyCheck } from '../engine/check.js'
import { ConfigError, UserError } from '../engine/errors.js'
import type { Redactor } from '../engine/redact.js'
import type { Target } from '../engine/types.js'
import { discover } from '../config/discover.js'
import { loadConfigFile, parseConfig } from '../config/load.js'
import { buildRedactor, resolveTargets } from '../config/resolve.js'
import type { MedicConfig } from '../config/schema.js'
import type { CliIO } from './io.js'

export interface Loaded {
  config: MedicConfig
  targets: Target[]
  redactor: Redactor
  notes: string[]
  vars: Record<string, string | undefined>
  /** The config as medic.yaml text, for `medic init` (with ${VAR} references, never secrets). */
  yamlText?: string
  /** Files whose changes belong on the diagnosis timeline (the config, the app's .env). */
  files: { path: string; label: string }[]
  /** Where relative paths in the config start: the config file's folder, or the working directory. */
  baseDir: string
}

export async function loadTargets(opts: { config?: string; discoverOnly?: boolean }, io: CliIO): Promise<Loaded> {
  const explicit = opts.discoverOnly ? undefined : opts.config ?? (localConfigPresent(resolve(io.cwd, 'medic.yaml')) ? 'medic.yaml' : undefined)
  if (explicit) {
    const loaded = loadConfigFile(resolve(io.cwd, explicit), io.env)
    // every check's id and options: loaded here, so `medic init` (discovery only) never loads the checks
    const { allChecks } = await import('../checks/index.js')
    validateIds(loaded.config, explicit, allChecks)
    const notes = opts.config ? [] : [`using ./medic.yaml`]
    const targets = placeTargets(resolveTargets(loaded.config, 'config'), dirname(loaded.file), io.env)
    const base = dirname(loaded.file)
    const files = [
      { path: loaded.file, label: explicit },
      { path: resolve(base, loaded.config.env?.file ?? '.env'), label: loaded.config.env?.file ?? '.env' },
    ]
    return { config: loaded.config, targets, redactor: buildRedactor(loaded.config, loaded.vars), notes, vars: loaded.vars, files, baseDir: base }
  }
  const found = await discover(io.cwd, io.env)
  const yamlText = stringify(found.raw)
  const config = parseConfig(yamlText, '(discovered config)', found.vars)
  const targets = placeTargets(resolveTargets(config, 'discovered'), io.cwd, io.env).map((t) => ({ ...t, source: found.sources[t.id] ?? t.source }))
  const files = [{ path: resolve(io.cwd, '.env'), label: '.env' }]
  return { config, targets, redactor: buildRedactor(config, found.vars), notes: found.notes, vars: found.vars, yamlText, files, baseDir: io.cwd }
}

/**
 * Is there a ./medic.yaml? A symbolic link to nothing is an error, not "no config": falling back to
 * discovery would check other targets than the user meant without a word.
 */
function localConfigPresent(path: string): boolean {
  if (existsSync(path)) return true
  let link: string
  try {
    if (!lstatSync(path).isSymbolicLink()) return false
    link = readlinkSync(path)
  } catch {
    return false
  }
  throw new UserError(`./medic.yaml is a symbolic link to ${link}, which does not exist`, 'fix or remove the link (medic discovers targets when there is no medic.yaml), or pass --config <file>')
}

/**
 * Checks that read files or the app's environment resolve relative paths from `baseDir` (the
 * config file's folder, or the working directory) and read `processEnv` instead of process.env,
 * so a test or an embedding program can inject both.
 */
export function placeTargets(targets: Target[], baseDir: string, env: Record<string, string | undefined>): Target[] {
  return targets.map((t) => ({ ...t, options: { ...t.options, baseDir, processEnv: env } }))
}

/**
 * `disable:` and `thresholds:` must name real checks or findings, and a threshold must be an option
 * of that check with the type of its default: a typo would otherwise silently do nothing.
 */
function validateIds(config: MedicConfig, file: string, allChecks: AnyCheck[]): void {
  const known = new Set<string>([...allChecks.map((c) => c.meta.id), ...allChecks.flatMap((c) => Object.keys(c.meta.findings))])
  const problems: { file: string; path: string; message: string }[] = []
  const checkDisable = (list: string[], at: string) =>
    list.forEach((id, i) => {
      if (!known.has(id)) problems.push({ file, path: `${at}[${i}]`, message: `unknown finding or check id "${id}" (see \`medic list\`)` })
    })
  const checkThresholds = (thresholds: Record<string, Record<string, unknown>>, at: string) => {
    for (const [id, values] of Object.entries(thresholds)) {
      if (!known.has(id)) {
        problems.push({ file, path: `${at}.${id}`, message: `unknown finding or check id "${id}" (see \`medic list\`)` })
        continue
      }
      // The options of every check the id names (a finding id may be emitted by several checks).
      const defaults: Record<string, unknown> = Object.assign({}, ...allChecks.filter((c) => c.meta.id === id || id in c.meta.findings).map((c) => c.meta.defaults))
      for (const [key, value] of Object.entries(values ?? {})) {
        if (!(key in defaults)) {
          problems.push({ file, path: `${at}.${id}.${key}`, message: `"${key}" is not an option of ${id}; its options: ${Object.keys(defaults).join(', ') || 'none'}` })
        } else if (typeof defaults[key] !== typeof value || Array.isArray(defaults[key]) !== Array.isArray(value)) {
          problems.push({ file, path: `${at}.${id}.${key}`, message: `expected ${Array.isArray(defaults[key]) ? 'a list' : `a ${typeof defaults[key]}`} (default ${JSON.stringify(defaults[key])}), got ${JSON.stringify(value)}` })
        }
      }
    }
  }
  checkDisable(config.disable, 'disable')
  checkThresholds(config.thresholds, 'thresholds')
  for (const [tid, t] of Object.entries(config.targets)) {
    checkDisable(t.disable, `targets.${tid}.disable`)
    checkThresholds(t.thresholds, `targets.${tid}.thresholds`)
  }
  for (const [i, m] of config.metrics.entries()) checkThresholds(m.thresholds, `metrics[${i}].thresholds`)
  if (problems.length) throw new ConfigError(problems, 'Run `medic list` for every check and finding id; `medic list --json` shows each check\'s options and defaults.')
}
