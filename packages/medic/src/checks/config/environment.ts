/**
 * The app's environment as the app would see it at start-up: the process environment plus the
 * `.env` file (process env wins, as python-dotenv, dotenv and docker compose do by default), and the
 * compose file beside it when there is one. Built once per run and shared by the config checks.
 *
 * Injection (for the CLI, which carries its own cwd and env, and for tests): the target options
 * `processEnv` (a plain object, replaces `process.env`) and `baseDir` (where a relative env.file /
 * env.compose is resolved; default the working directory). medic.yaml cannot set them (envSchema is
 * strict); whoever builds the env target may add them.
 */
import { readFileSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import type { CheckContext } from '../../engine/check.js'
import { parseDotEnvDetailed, type MalformedLine } from '../../config/dotenv.js'

export interface EnvSettings {
  file: string
  required: string[]
  secrets: string[]
  compose?: string
  portVariable: string
}

export interface ComposeFile {
  path: string
  /** Service names, plus container_name / hostname / network aliases (all resolve inside the network). */
  services: string[]
  /** Names that also resolve there, mapped to the service they belong to. */
  aliases: Record<string, string>
  /** `${VAR}` references: `required` for `${VAR:?msg}` / `${VAR?msg}`, plain for `${VAR}` without a default. */
  references: { name: string; required: boolean; line: number }[]
  /** Why the file could not be read as YAML, if so. */
  error?: string
}

export interface AppEnvironment {
  settings: EnvSettings
  /** Folder relative paths are resolved from: target option `baseDir`, else the working directory. */
  base: string
  /** Merged view: .env values overridden by the process environment. */
  vars: Record<string, string>
  /** Where each variable came from. */
  origin: Record<string, 'process' | '.env'>
  dotenv: {
    path: string
    found: boolean
    keys: string[]
    lines: Record<string, number>
    hashCut: string[]
    /** Variables written as blanks only (`KEY=   `). */
    blank: string[]
    /** Lines that are not assignments (reported by line number only). */
    malformed: MalformedLine[]
    /** Why an existing env.file cannot be used (a directory, too big, unreadable): the config checks end as error with it. */
    error?: string
  }
  /** `.env.example` and friends beside the .env: the variables the project documents. */
  example?: { path: string; keys: string[]; lines: Record<string, number> }
  compose?: ComposeFile
}

const EXAMPLE_NAMES = ['.env.example', '.env.sample', '.env.template', '.env.dist']
const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml']
/**
 * A real .env is a few KB; a file past this is not one (a dump, a log written to the wrong name).
 * Parsing 16 MB takes well under a second; past it the config checks end as error and say so.
 */
export const MAX_FILE_BYTES = 16 * 1024 * 1024

export function settingsOf(options: Record<string, unknown>): EnvSettings {
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])
  return {
    file: typeof options.file === 'string' ? options.file : '.env',
    required: list(options.required),
    secrets: list(options.secrets),
    compose: typeof options.compose === 'string' ? options.compose : undefined,
    portVariable: typeof options.portVariable === 'string' && options.portVariable ? options.portVariable : 'PORT',
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

/** Read a file of at most MAX_FILE_BYTES; `error` is a code (ENOENT, EISDIR, EACCES) or `TOO_BIG`. */
function readSmall(path: string): { text?: string; error?: string; size?: number } {
  try {
    const st = statSync(path)
    if (st.isDirectory()) return { error: 'EISDIR' }
    if (st.size > MAX_FILE_BYTES) return { error: 'TOO_BIG', size: st.size }
    return { text: readFileSync(path, 'utf8') }
  } catch (err) {
    return { error: (err as NodeJS.ErrnoException).code ?? String(err) }
  }
}

/** The reason the config checks give when env.file exists but cannot be used; undefined when fine or absent. */
function dotenvProblem(shown: string, path: string, read: { error?: string; size?: number }): string | undefined {
  if (!read.error || read.error === 'ENOENT') return undefined
  if (read.error === 'EISDIR') return `env.file ${shown} is a directory (${path}), not a file of NAME=value lines`
  if (read.error === 'TOO_BIG') return `env.file ${shown} is ${mb(read.size ?? 0)}, over the ${MAX_FILE_BYTES / 1024 / 1024} MB medic reads (a .env is a few KB: is it the right file?)`
  if (read.error === 'EACCES' || read.error === 'EPERM') return `env.file ${shown} cannot be read: permission denied (${path})`
  return `env.file ${shown} cannot be read: ${read.error} (${path})`
}

/**
 * Variables whose unquoted value holds a `#` glued to it: the .env parser took the rest as a
 * comment, so the app sees a cut value (a classic with generated passwords inside DSNs).
 */
export function hashCutNames(text: string): string[] {
  return parseDotEnvDetailed(text).hashCut
}

/** Line (1-based) of each `NAME=` / `export NAME=` assignment; the last one wins, as in the parser. */
export function assignmentLines(text: string): Record<string, number> {
  return parseDotEnvDetailed(text).lines
}

/** A grep that finds the assignment however it is written (`export NAME = value` too). */
export function grepAssignment(name: string, file: string): string {
  const n = name.replace(/[^A-Za-z0-9_]/g, (c) => `\\${c}`)
  return `grep -nE '^[[:space:]]*(export[[:space:]]+)?${n}[[:space:]]*=' ${file}`
}

/** `${VAR}`, `${VAR:?msg}`, `${VAR?msg}` in a compose file; `$${...}` is an escaped dollar. */
export function composeReferences(text: string): ComposeFile['references'] {
  const out: ComposeFile['references'] = []
  text.split(/\r?\n/).forEach((line, i) => {
    if (/^\s*#/.test(line)) return
    for (const m of line.matchAll(/(\$?)\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+]?)([^}]*)\}/g)) {
      if (m[1] === '$') continue
      const op = m[3]
      // `:-default` / `-default` / `:+alt` / `+alt` never fail: not a requirement.
      if (op.includes('-') || op.includes('+')) continue
      out.push({ name: m[2], required: op.includes('?'), line: i + 1 })
    }
  })
  return out
}

export function parseCompose(path: string, text: string): ComposeFile {
  const result: ComposeFile = { path, services: [], aliases: {}, references: composeReferences(text) }
  let doc: unknown
  try {
    doc = parseYaml(text, { maxAliasCount: 100, logLevel: 'error' })
  } catch (err) {
    result.error = (err as Error).message.split('\n')[0]
    return result
  }
  const services = (doc as { services?: unknown } | null)?.services
  if (!services || typeof services !== 'object' || Array.isArray(services)) return result
  for (const [name, svc] of Object.entries(services as Record<string, unknown>)) {
    result.services.push(name)
    if (!svc || typeof svc !== 'object') continue
    const s = svc as Record<string, unknown>
    for (const key of ['container_name', 'hostname']) {
      if (typeof s[key] === 'string') result.aliases[s[key] as string] = name
    }
    const networks = s.networks
    if (networks && typeof networks === 'object' && !Array.isArray(networks)) {
      for (const net of Object.values(networks as Record<string, unknown>)) {
        const aliases = (net as { aliases?: unknown } | null)?.aliases
        if (Array.isArray(aliases)) for (const a of aliases) if (typeof a === 'string') result.aliases[a] = name
      }
    }
  }
  return result
}

function findCompose(settings: EnvSettings, envDir: string, base: string): ComposeFile | undefined {
  const candidates = settings.compose ? [resolve(base, settings.compose)] : COMPOSE_NAMES.map((n) => join(envDir, n))
  for (const path of candidates) {
    const { text, error } = readSmall(path)
    if (text !== undefined) return parseCompose(path, text)
    if (settings.compose) return { path, services: [], aliases: {}, references: [], error: error ?? 'unreadable' }
  }
  return undefined
}

export function buildEnvironment(options: Record<string, unknown>): AppEnvironment {
  const settings = settingsOf(options)
  const processEnv = (options.processEnv as Record<string, string | undefined> | undefined) ?? process.env
  const base = typeof options.baseDir === 'string' && options.baseDir ? resolve(options.baseDir) : process.cwd()
  const path = isAbsolute(settings.file) ? settings.file : resolve(base, settings.file)
  const read = readSmall(path)
  const parsed = parseDotEnvDetailed(read.text ?? '')
  const fileValues = parsed.values
  const vars: Record<string, string> = {}
  const origin: AppEnvironment['origin'] = {}
  for (const [k, v] of Object.entries(fileValues)) {
    vars[k] = v
    origin[k] = '.env'
  }
  for (const [k, v] of Object.entries(processEnv)) {
    if (typeof v !== 'string') continue
    vars[k] = v
    origin[k] = 'process'
  }
  const envDir = dirname(path)
  let example: AppEnvironment['example']
  for (const name of EXAMPLE_NAMES) {
    const p = join(envDir, name)
    if (p === path) continue
    const ex = readSmall(p)
    if (ex.text !== undefined) {
      const e = parseDotEnvDetailed(ex.text)
      example = { path: p, keys: Object.keys(e.values), lines: e.lines }
      break
    }
  }
  const problem = dotenvProblem(settings.file, path, read)
  return {
    settings,
    base,
    vars,
    origin,
    dotenv: {
      path,
      found: read.text !== undefined,
      keys: Object.keys(fileValues),
      lines: parsed.lines,
      hashCut: parsed.hashCut,
      blank: parsed.blank,
      malformed: parsed.malformed,
      ...(problem ? { error: problem } : {}),
    },
    example,
    compose: findCompose(settings, envDir, base),
  }
}

/**
 * The environment of this run's env target, built once and shared by every config check. An env.file
 * that exists but cannot be used (a directory, over the size cap, unreadable) makes every config
 * check end as error with the reason: checking the process environment alone would pass a ✓ over a
 * configuration the app cannot load either.
 */
export async function appEnvironment(ctx: CheckContext): Promise<AppEnvironment> {
  const env = await ctx.shared.get(`config-env:${ctx.target.id}`, async () => buildEnvironment(ctx.target.options))
  if (env.dotenv.error) throw new Error(env.dotenv.error)
  return env
}

/** Variable names in a stable order: the .env's line order, then the rest alphabetically. */
export function orderedNames(env: AppEnvironment): string[] {
  const line = (n: string) => (env.origin[n] === '.env' ? (env.dotenv.lines[n] ?? 1e9) : 2e9)
  return Object.keys(env.vars).sort((a, b) => line(a) - line(b) || (a < b ? -1 : a > b ? 1 : 0))
}

/** `where` text for evidence: `.env line 4`, `process environment`. */
export function whereSet(env: AppEnvironment, name: string): string {
  if (env.origin[name] === 'process') return 'process environment'
  const line = env.dotenv.lines[name]
  return line ? `${shortPath(env.dotenv.path, env.base)} line ${line}` : shortPath(env.dotenv.path, env.base)
}

/** Paths relative to the base folder when below it (shorter evidence). */
export function shortPath(p: string, base: string = process.cwd()): string {
  return p.startsWith(base + '/') ? p.slice(base.length + 1) : p
}

/** Record the facts every config check shares (cheap, idempotent). */
export function observeEnvironment(ctx: CheckContext, env: AppEnvironment): void {
  ctx.observe('config.dotenv.found', env.dotenv.found)
  ctx.observe('config.dotenv.variables', env.dotenv.keys.length)
  ctx.observe('config.dotenv.malformed', env.dotenv.malformed.length)
  ctx.observe('config.compose.found', Boolean(env.compose))
}
