/**
 * With no medic.yaml: find what to check from the process environment, `.env`, a compose file and
 * the default local ports, and say what was found. The result is a config in medic.yaml's own
 * shape, where values read from the environment stay `${VAR}` references so `medic init` never
 * writes a secret to disk.
 */
import { existsSync, readFileSync } from 'node:fs'
import { access } from 'node:fs/promises'
import { connect } from 'node:net'
import { userInfo } from 'node:os'
import { resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { readDotEnv } from './dotenv.js'
import { interpolate } from './interpolate.js'
import { targetSchema } from './targets.js'
import { detectMigrations } from '../checks/migrations/detect.js'
import { listeningInodes } from '../system/proc.js'

export interface Discovered {
  /** medic.yaml-shaped object with `${VAR}` references kept. */
  raw: Record<string, any>
  /** Where each target came from, for the notes line. */
  sources: Record<string, string>
  notes: string[]
  vars: Record<string, string | undefined>
}

export const DEFAULT_PORTS: { port: number; kind: 'postgres' | 'mysql' | 'redis' | 'qdrant' | 'http' }[] = [
  { port: 5432, kind: 'postgres' },
  { port: 3306, kind: 'mysql' },
  { port: 6379, kind: 'redis' },
  { port: 6333, kind: 'qdrant' },
  { port: 8000, kind: 'http' },
  { port: 3000, kind: 'http' },
  { port: 8080, kind: 'http' },
]

const SECRET_NAMES = /SECRET|_KEY$|^KEY$|SALT|PASSWORD|TOKEN/

/** SQLAlchemy-style schemes (`postgresql+asyncpg://`) name the driver; medic only needs the database. */
export function kindOfUrl(url: string): 'postgres' | 'mysql' | 'redis' | 'qdrant' | 'http' | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase()
  if (!scheme) return undefined
  const base = scheme.split('+')[0]
  if (base === 'postgres' || base === 'postgresql') return 'postgres'
  if (base === 'mysql' || base === 'mariadb') return 'mysql'
  if (base === 'redis' || base === 'rediss') return 'redis'
  if (base === 'http' || base === 'https') return 'http'
  return undefined
}

/** `postgresql+asyncpg://...` -> `postgresql://...` (as a ${VAR} expression when possible). */
function normaliseScheme(value: string): string {
  return value.replace(/^([a-z]+)\+[a-z0-9_]+:\/\//i, '$1://')
}

/**
 * Is something listening on this local port? Read from /proc/net/tcp when we can: a TCP connect
 * that hangs up before the handshake counts as an aborted connection on MySQL/MariaDB (and a
 * warning in its logs), so medic must not knock on every port just to look.
 */
export async function localPortOpen(port: number, timeoutMs: number): Promise<boolean> {
  if (await procNetReadable()) return (await listeningInodes(port)).size > 0
  return tcpOpen('127.0.0.1', port, timeoutMs)
}

/** /proc/net/tcp is readable (Linux): its answer is authoritative. */
async function procNetReadable(): Promise<boolean> {
  try {
    await access('/proc/net/tcp')
    return true
  } catch {
    return false
  }
}

export function tcpOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port })
    const finish = (ok: boolean) => {
      socket.destroy()
      done(ok)
    }
    socket.setTimeout(timeoutMs, () => finish(false))
    socket.once('connect', () => finish(true))
    socket.once('error', () => finish(false))
  })
}

function findCompose(cwd: string): string | undefined {
  return ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'].map((f) => resolve(cwd, f)).find((p) => existsSync(p))
}

/** Services of a compose file whose image names a datastore, with their published port. */
function composeServices(file: string): { name: string; kind: 'postgres' | 'mysql' | 'redis' | 'qdrant'; port?: number }[] {
  try {
    // Compose's own tags (!reset, !override) are fine: never let the YAML library warn on stderr
    const doc = parseYaml(readFileSync(file, 'utf8'), { logLevel: 'error' }) as { services?: Record<string, { image?: string; ports?: unknown[] }> }
    const out: { name: string; kind: 'postgres' | 'mysql' | 'redis' | 'qdrant'; port?: number }[] = []
    for (const [name, svc] of Object.entries(doc?.services ?? {})) {
      const image = String(svc?.image ?? name).toLowerCase()
      const kind = /postgres|postgis|timescale/.test(image) ? 'postgres' : /mysql|mariadb/.test(image) ? 'mysql' : /redis|valkey/.test(image) ? 'redis' : /qdrant/.test(image) ? 'qdrant' : undefined
      if (!kind) continue
      // "5433:5432" or "127.0.0.1:5433:5432" or { published: 5433 }
      const first = svc?.ports?.[0]
      let port: number | undefined
      if (typeof first === 'string' || typeof first === 'number') {
        const parts = String(first).split(':')
        port = parts.length >= 2 ? Number.parseInt(parts[parts.length - 2], 10) : undefined
      } else if (first && typeof first === 'object' && 'published' in first) {
        port = Number((first as { published: unknown }).published)
      }
      out.push({ name, kind, port: Number.isFinite(port) ? port : undefined })
    }
    return out
  } catch {
    return []
  }
}

export async function discover(
  cwd: string,
  env: Record<string, string | undefined>,
  opts: { probeTimeoutMs?: number; ports?: typeof DEFAULT_PORTS } = {},
): Promise<Discovered> {
  const dotenv = readDotEnv(resolve(cwd, '.env'))
  const vars: Record<string, string | undefined> = { ...dotenv.values, ...env }
  const targets: Record<string, any> = {}
  const sources: Record<string, string> = {}
  const notes: string[] = []
  const covered = new Set<string>() // "kind:port" already found through a variable
  const has = (name: string) => Boolean(vars[name])
  const from = (name: string) => (name in env ? `env ${name}` : `.env ${name}`)

  let badVariables = false
  const add = (id: string, target: Record<string, unknown>, source: string, port?: number) => {
    // A variable that does not make a valid target (a DSN cut at an unquoted #, port 99999) must
    // not stop the whole run: leave the target out, and let config.urls report the variable.
    if (typeof target.url === 'string') {
      const url = interpolate(target.url, vars, () => {})
      const check = targetSchema.safeParse({ ...target, url })
      if (!check.success) {
        notes.push(`not checking ${id} from ${source}: ${check.error.issues[0]?.message ?? 'invalid'} (config.urls says why)`)
        badVariables = true
        return
      }
    }
    let unique = id
    for (let n = 2; targets[unique]; n++) unique = `${id}${n}`
    targets[unique] = target
    sources[unique] = source
    if (port) covered.add(`${target.kind}:${port}`)
  }
  const portOf = (expr: string, fallback: number): number | undefined => {
    try {
      const u = new URL(normaliseScheme(interpolate(expr, vars, () => {})))
      if (!['localhost', '127.0.0.1', '::1', '[::1]'].includes(u.hostname)) return undefined
      return u.port ? Number(u.port) : fallback
    } catch {
      return undefined
    }
  }

  // 1. URL variables.
  const urlVars: [string, 'postgres' | 'mysql' | 'redis' | 'qdrant' | undefined, string][] = [
    ['DATABASE_URL', undefined, 'db'],
    ['POSTGRES_URL', 'postgres', 'postgres'],
    ['MYSQL_URL', 'mysql', 'mysql'],
    ['REDIS_URL', 'redis', 'cache'],
    ['QDRANT_URL', 'qdrant', 'vectors'],
  ]
  for (const [name, forced, id] of urlVars) {
    if (!has(name)) continue
    const value = vars[name]!
    const kind = forced === 'qdrant' ? 'qdrant' : kindOfUrl(value)
    if (!kind || kind === 'http') {
      notes.push(`not checking ${name}: not a postgres, mysql or redis URL (config.urls says why)`)
      badVariables = true
      continue
    }
    // Keep the variable reference; strip a driver suffix only when there is one.
    const expr = /^[a-z]+\+[a-z0-9_]+:\/\//i.test(value) ? normaliseScheme(value) : `\${${name}}`
    const target: Record<string, unknown> = { kind, url: expr }
    if (kind === 'qdrant' && has('QDRANT_API_KEY')) target.apiKey = '${QDRANT_API_KEY}'
    add(id, target, from(name), portOf(expr, kind === 'postgres' ? 5432 : kind === 'mysql' ? 3306 : kind === 'redis' ? 6379 : 6333))
  }

  // 2. Host/port/user variables (DB_HOST=db, POSTGRES_HOST, MYSQL_HOST, PGHOST, REDIS_HOST).
  const hostSets: { prefix: string; kind?: 'postgres' | 'mysql' }[] = [
    { prefix: 'POSTGRES', kind: 'postgres' },
    { prefix: 'PG', kind: 'postgres' },
    { prefix: 'MYSQL', kind: 'mysql' },
    { prefix: 'DB' },
  ]
  for (const { prefix, kind: forced } of hostSets) {
    const pgStyle = prefix === 'PG' ? 'PGHOST' : `${prefix}_HOST`
    if (!has(pgStyle)) continue
    const p = (suffix: string) => (prefix === 'PG' ? `PG${suffix}` : `${prefix}_${suffix}`)
    const portName = has(p('PORT')) ? p('PORT') : undefined
    const portNum = portName ? Number(vars[portName]) : undefined
    const driver = (vars.DB_DRIVER ?? vars.DB_TYPE ?? vars.DB_ENGINE ?? vars.DB_CONNECTION ?? '').toLowerCase()
    const kind = forced ?? (/mysql|maria/.test(driver) || portNum === 3306 ? 'mysql' : 'postgres')
    if (Object.values(targets).some((t) => t.kind === kind)) continue
    const user = has(p('USER')) ? `\${${p('USER')}}` : has(p('USERNAME')) ? `\${${p('USERNAME')}}` : kind === 'mysql' ? 'root' : 'postgres'
    const pass = has(p('PASSWORD')) ? `:\${${p('PASSWORD')}}` : has(p('PASS')) ? `:\${${p('PASS')}}` : ''
    const dbName = [p('NAME'), p('DATABASE'), p('DB')].find(has)
    const db = dbName ? `\${${dbName}}` : ''
    const scheme = kind === 'mysql' ? 'mysql' : 'postgres'
    const url = `${scheme}://${user}${pass}@\${${pgStyle}}${portName ? `:\${${portName}}` : ''}/${db}`
    add(kind === 'mysql' ? 'mysql' : 'db', { kind, url }, from(pgStyle), portOf(url, kind === 'mysql' ? 3306 : 5432))
  }
  if (has('REDIS_HOST') && !Object.values(targets).some((t) => t.kind === 'redis')) {
    const pass = has('REDIS_PASSWORD') ? ':${REDIS_PASSWORD}@' : ''
    const url = `redis://${pass}\${REDIS_HOST}${has('REDIS_PORT') ? ':${REDIS_PORT}' : ''}`
    add('cache', { kind: 'redis', url }, from('REDIS_HOST'), portOf(url, 6379))
  }

  // 3. Third-party APIs.
  if (has('OPENAI_API_KEY')) {
    const target: Record<string, unknown> = { kind: 'external', preset: 'openai', key: '${OPENAI_API_KEY}' }
    if (has('OPENAI_BASE_URL')) target.url = '${OPENAI_BASE_URL}'
    add('openai', target, from('OPENAI_API_KEY'))
  }

  // 4. A compose file's datastores, when published on a local port.
  const compose = findCompose(cwd)
  if (compose) {
    for (const svc of composeServices(compose)) {
      if (!svc.port || covered.has(`${svc.kind}:${svc.port}`)) continue
      const user = svc.kind === 'mysql' ? 'root@' : svc.kind === 'postgres' ? 'postgres@' : ''
      const url = svc.kind === 'qdrant' ? `http://127.0.0.1:${svc.port}` : `${svc.kind}://${user}127.0.0.1:${svc.port}${svc.kind === 'redis' ? '' : '/'}`
      if (!(await localPortOpen(svc.port, opts.probeTimeoutMs ?? 300))) continue
      add(svc.name, { kind: svc.kind, url }, `compose service ${svc.name}`, svc.port)
    }
  }

  // 5. Default local ports: what answers on localhost.
  const os = (() => {
    try {
      return userInfo().username
    } catch {
      return 'postgres'
    }
  })()
  const probes = await Promise.all(
    (opts.ports ?? DEFAULT_PORTS).filter((d) => !covered.has(`${d.kind}:${d.port}`) && !(d.kind !== 'http' && Object.values(targets).some((t) => t.kind === d.kind && portOf(String(t.url), d.port) === d.port))).map(
      async (d) => ({ ...d, open: await localPortOpen(d.port, opts.probeTimeoutMs ?? 300) }),
    ),
  )
  for (const d of probes) {
    if (!d.open) continue
    const source = `port ${d.port}`
    switch (d.kind) {
      case 'postgres':
        // Like psql: PGUSER or the login name; the `postgres` database exists on every cluster.
        add('postgres', { kind: 'postgres', url: `postgres://${vars.PGUSER ?? os}@127.0.0.1:${d.port}/${vars.PGDATABASE ?? 'postgres'}` }, source, d.port)
        break
      case 'mysql':
        add('mysql', { kind: 'mysql', url: `mysql://${vars.MYSQL_USER ?? 'root'}@127.0.0.1:${d.port}/` }, source, d.port)
        break
      case 'redis':
        add('redis', { kind: 'redis', url: `redis://127.0.0.1:${d.port}` }, source, d.port)
        break
      case 'qdrant':
        add('qdrant', { kind: 'qdrant', url: `http://127.0.0.1:${d.port}` }, source, d.port)
        break
      case 'http':
        add(`api-${d.port}`, { kind: 'http', url: `http://127.0.0.1:${d.port}`, health: ['/health'] }, source, d.port)
        break
    }
  }

  // Migrations found in the project's files go on the (first) SQL database target.
  const migrations = detectMigrations(cwd)
  const sqlTarget = Object.values(targets).find((t) => t.kind === 'postgres' || t.kind === 'mysql')
  if (migrations && sqlTarget) {
    sqlTarget.migrations = { tool: migrations.tool, dir: migrations.dir }
    notes.push(`found ${migrations.tool} migrations in ${migrations.dir} (${migrations.because})`)
  }

  // The host medic runs on is always worth a look (CPU, memory, disk): cheap, and often the answer.
  add('host', { kind: 'host' }, 'this machine')

  const raw: Record<string, any> = { environment: vars.ENVIRONMENT ?? vars.APP_ENV ?? vars.NODE_ENV ?? 'production', targets }
  if (!['production', 'staging', 'development'].includes(raw.environment)) {
    raw.environment = /prod/i.test(raw.environment) ? 'production' : /stag/i.test(raw.environment) ? 'staging' : 'development'
  }
  if (dotenv.found || badVariables) {
    const names = Object.keys(dotenv.values)
    raw.env = {
      file: '.env',
      // config.required infers what must be set (datastore variables left empty, compose `${VAR:?}`);
      // listing every *_URL here would make an optional empty one critical.
      required: [],
      secrets: names.filter((n) => SECRET_NAMES.test(n) && !/_URL$|PASSWORD/.test(n)),
    }
    sources.env = dotenv.found ? '.env' : 'the environment'
  }
  if (has('JWT_SECRET_KEY') || has('JWT_SECRET')) {
    raw.auth = { jwt: { secret: has('JWT_SECRET_KEY') ? '${JWT_SECRET_KEY}' : '${JWT_SECRET}' } }
  }
  if (!(vars.ENVIRONMENT ?? vars.APP_ENV ?? vars.NODE_ENV)) {
    // severities depend on it (a default secret is critical only in production): say it was assumed
    notes.push('environment: production assumed (no ENVIRONMENT, APP_ENV or NODE_ENV set); set one, or `environment:` in medic.yaml')
  }
  const found = Object.entries(sources).map(([id, s]) => `${id} (${s})`)
  notes.unshift(
    Object.keys(targets).length > 1
      ? `discovered: ${found.join(', ')}`
      : 'discovered only this host: no DATABASE_URL, REDIS_URL, ... set, no .env, nothing on the default local ports; write a medic.yaml (medic init) or pass --config',
  )
  return { raw, sources, notes, vars }
}
