/**
 * Throwaway PostgreSQL clusters for live tests.
 *
 * `startPgCluster()` copies a prepared data dir (made once by initdb, as the `postgres` OS user via `runuser`) into a fresh temp dir,
 * starts the server with pg_ctl on a free 127.0.0.1 port (unix socket inside the temp dir) and
 * returns connection URLs. Never touches the shared cluster on 5432.
 *
 * Authentication (pg_hba.conf written by this helper):
 *   local  all  all                    trust           (unix socket in the temp dir)
 *   host   all  postgres  127.0.0.1/32 trust           (superuser over TCP: `superUrl`)
 *   host   all  all       127.0.0.1/32 scram-sha-256   (every other role needs its password)
 *   host   replication postgres 127.0.0.1/32 trust   (for `startStandby`)
 * A login role `app` (password `APP_PASSWORD`, no special privileges) owns a database `app`, so
 * tests can provoke auth failures with a wrong password. `url()` defaults to app/app with that password.
 * When pg_stat_statements is preloaded (the default) the extension is created in `app` and `postgres`.
 *
 * Speed: clusters are copies of a template data dir (initdb --no-sync + role + db + extension) kept
 * in the temp dir as medic-pg-template-<major>-r<rev> and reused by later runs; fsync/synchronous_commit/full_page_writes off, small shared_buffers.
 * `restart(between)` stops the server, runs `between` (e.g. pg_resetwal) and starts it again;
 * `startStandby(primary)` makes a streaming replica (primary needs wal_level=replica).
 * stop() is `pg_ctl stop -m immediate` then removes the dir; clusters still running when the
 * process exits are stopped by an exit hook.
 */
import { execFile, spawnSync } from 'node:child_process'
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { afterAll, beforeAll } from 'vitest'
import { freePort } from './ports.js'

const run = promisify(execFile)

export const APP_USER = 'app'
export const APP_PASSWORD = 'app-pw-Xq7Tz93k'
export const APP_DB = 'app'

export interface PgClusterOptions {
  /** max_connections (default 20). */
  maxConnections?: number
  /** superuser_reserved_connections (default 3). */
  reserved?: number
  /** shared_preload_libraries (default ['pg_stat_statements']). */
  preload?: string[]
  /** Extra postgresql.conf settings, written verbatim as `key = 'value'`. */
  settings?: Record<string, string>
  /** pg_hba.conf lines put before the default ones (first match wins), e.g. `host all locked 127.0.0.1/32 reject`. */
  hba?: string[]
}

export interface PgCluster {
  host: string
  port: number
  /** Temp dir holding data/, the socket and server.log. */
  dir: string
  /** Server major version, e.g. 15. */
  version: number
  /** postgres://user:password@127.0.0.1:port/db (defaults: app / app / APP_PASSWORD). Pass '' as password to omit it. */
  url(user?: string, db?: string, password?: string): string
  /** Superuser over TCP (trust): postgres://postgres@127.0.0.1:port/postgres. */
  superUrl: string
  /** Run SQL as the superuser (new short-lived connection). */
  sql<R extends pg.QueryResultRow = any>(text: string, db?: string): Promise<pg.QueryResult<R>>
  /** The server log so far (for debugging a failed test). */
  log(): string
  /** The data directory and the binaries' directory (for pg_resetwal, pg_basebackup...). */
  dataDir: string
  binDir: string
  /** Stop the server (fast) and start it again, running `between` while it is down (as root). */
  restart(between?: () => Promise<void> | void): Promise<void>
  /** Run a PostgreSQL binary as the postgres OS user. */
  runBin(name: string, args: string[]): Promise<{ stdout: string; stderr: string }>
  stop(): Promise<void>
}

/** The newest installed major version dir under /usr/lib/postgresql that has initdb. */
export function pgBinDir(): { bin: string; version: number } {
  const root = '/usr/lib/postgresql'
  const versions = readdirSync(root)
    .filter((d) => /^\d+$/.test(d) && existsSync(join(root, d, 'bin', 'initdb')))
    .map(Number)
    .sort((a, b) => b - a)
  if (versions.length === 0) throw new Error(`no PostgreSQL binaries under ${root}`)
  return { bin: join(root, String(versions[0]), 'bin'), version: versions[0] }
}

const live = new Set<{ bin: string; data: string; dir: string }>()
let exitHooked = false
function hookExit() {
  if (exitHooked) return
  exitHooked = true
  process.on('exit', () => {
    for (const c of live) {
      spawnSync('runuser', ['-u', 'postgres', '--', join(c.bin, 'pg_ctl'), 'stop', '-D', c.data, '-m', 'immediate', '-s'], { stdio: 'ignore' })
      rmSync(c.dir, { recursive: true, force: true })
    }
  })
}

function pgUid(): { uid: number; gid: number } {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error('no postgres OS user')
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) }
}

async function asPostgres(cmd: string, args: string[], timeoutMs = 60_000) {
  return run('runuser', ['-u', 'postgres', '--', cmd, ...args], { timeout: timeoutMs, maxBuffer: 8 << 20 })
}

const q = (v: string) => `'${v.replace(/'/g, "''")}'`

/** Bump when the template's contents change (the template dir name carries it). */
const TEMPLATE_REV = 1
const HBA = [
  'local all all trust',
  'host all postgres 127.0.0.1/32 trust',
  'host replication postgres 127.0.0.1/32 trust',
  'host all all 127.0.0.1/32 scram-sha-256',
  '',
].join('\n')

/**
 * A prepared data dir (initdb, pg_hba, role `app`, database `app`, pg_stat_statements created),
 * cached in the temp dir across test processes: built once into a private dir and renamed into
 * place, so concurrent builders never see a half-made template.
 */
async function templateDir(bin: string, version: number, uid: number, gid: number): Promise<string> {
  const final = join(tmpdir(), `medic-pg-template-${version}-r${TEMPLATE_REV}`)
  if (existsSync(join(final, 'READY'))) return final
  const build = mkdtempSync(join(tmpdir(), 'medic-pg-template-build-'))
  chownSync(build, uid, gid)
  const data = join(build, 'data')
  try {
    await asPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--no-sync', '-A', 'trust', '-E', 'UTF8', '--locale=C'])
    writeFileSync(join(data, 'pg_hba.conf'), HBA)
    const port = await freePort()
    const conf = { listen_addresses: '', port: String(port), unix_socket_directories: build, shared_preload_libraries: 'pg_stat_statements', fsync: 'off', password_encryption: 'scram-sha-256' }
    appendFileSync(join(data, 'postgresql.conf'), `\n# medic template\n${Object.entries(conf).map(([k, v]) => `${k} = ${q(v)}`).join('\n')}\n`)
    await asPostgres(join(bin, 'pg_ctl'), ['start', '-D', data, '-l', join(build, 'server.log'), '-w', '-t', '60', '-s'], 75_000)
    try {
      const sql = async (text: string, db = 'postgres') => {
        const c = new pg.Client({ host: build, port, user: 'postgres', database: db })
        await c.connect()
        try {
          await c.query(text)
        } finally {
          await c.end()
        }
      }
      await sql(`CREATE ROLE ${APP_USER} LOGIN PASSWORD ${q(APP_PASSWORD)}`)
      await sql(`CREATE DATABASE ${APP_DB} OWNER ${APP_USER}`)
      await sql('CREATE EXTENSION pg_stat_statements', 'postgres')
      await sql('CREATE EXTENSION pg_stat_statements', APP_DB)
    } finally {
      await asPostgres(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w', '-s'], 30_000)
    }
    rmSync(join(build, 'server.log'), { force: true })
    writeFileSync(join(build, 'READY'), '')
    try {
      renameSync(build, final)
    } catch {
      // Another process got there first: theirs is as good as ours.
      rmSync(build, { recursive: true, force: true })
    }
  } catch (err) {
    rmSync(build, { recursive: true, force: true })
    throw err
  }
  return final
}

export async function startPgCluster(opts: PgClusterOptions = {}): Promise<PgCluster> {
  const { bin, version } = pgBinDir()
  const { uid, gid } = pgUid()
  const dir = mkdtempSync(join(tmpdir(), 'medic-pg-'))
  const data = join(dir, 'data')
  const logFile = join(dir, 'server.log')
  chownSync(dir, uid, gid)
  hookExit()
  const entry = { bin, data, dir }
  live.add(entry)
  try {
    // A copy of a prepared template is much faster than initdb under load (several files start clusters at once).
    await run('cp', ['-a', join(await templateDir(bin, version, uid, gid), 'data'), data])
    if (opts.hba?.length) writeFileSync(join(data, 'pg_hba.conf'), `${opts.hba.join('\n')}\n${HBA}`)
    const preload = opts.preload ?? ['pg_stat_statements']
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      unix_socket_directories: dir,
      max_connections: String(opts.maxConnections ?? 20),
      superuser_reserved_connections: String(opts.reserved ?? 3),
      shared_preload_libraries: preload.join(','),
      password_encryption: 'scram-sha-256',
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      shared_buffers: '16MB',
      max_wal_senders: '0',
      wal_level: 'minimal',
      logging_collector: 'off',
      ...(opts.settings ?? {}),
    }
    // Several test files start clusters at once: a freePort() can be taken between probe and bind.
    let port = 0
    let started = false
    let lastErr: unknown
    for (let attempt = 0; attempt < 4 && !started; attempt++) {
      port = await freePort()
      const conf = Object.entries({ ...settings, port: String(port) })
        .map(([k, v]) => `${k} = ${q(v)}`)
        .join('\n')
      appendFileSync(join(data, 'postgresql.conf'), `\n# medic test cluster (attempt ${attempt})\n${conf}\n`)
      try {
        await asPostgres(join(bin, 'pg_ctl'), ['start', '-D', data, '-l', logFile, '-w', '-t', '30', '-s'], 45_000)
        started = true
      } catch (err) {
        lastErr = err
      }
    }
    if (!started) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''
      throw new Error(`pg_ctl start failed: ${String(lastErr)}\n${log.slice(-2000)}`)
    }

    const host = '127.0.0.1'
    const superUrl = `postgres://postgres@${host}:${port}/postgres`
    const sql = async (text: string, db = 'postgres') => {
      const c = new pg.Client({ connectionString: `postgres://postgres@${host}:${port}/${db}`, application_name: 'medic-test-setup' })
      await c.connect()
      try {
        return await c.query(text)
      } finally {
        await c.end()
      }
    }
    if (!preload.includes('pg_stat_statements')) {
      // The template has the extension created; without the library it must not exist either.
      await sql('DROP EXTENSION IF EXISTS pg_stat_statements', 'postgres')
      await sql('DROP EXTENSION IF EXISTS pg_stat_statements', APP_DB)
    }

    let stopped = false
    return {
      host,
      port,
      dir,
      version,
      superUrl,
      url(user = APP_USER, db = APP_DB, password = user === APP_USER ? APP_PASSWORD : '') {
        const auth = password ? `${encodeURIComponent(user)}:${encodeURIComponent(password)}` : encodeURIComponent(user)
        return `postgres://${auth}@${host}:${port}/${encodeURIComponent(db)}`
      },
      sql,
      log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
      dataDir: data,
      binDir: bin,
      runBin: (name, args) => asPostgres(join(bin, name), args),
      async restart(between) {
        await asPostgres(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w', '-s'], 30_000)
        await between?.()
        await asPostgres(join(bin, 'pg_ctl'), ['start', '-D', data, '-l', logFile, '-w', '-t', '30', '-s'], 45_000)
      },
      async stop() {
        if (stopped) return
        stopped = true
        try {
          await asPostgres(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-s'], 30_000)
        } catch {
          // already down
        }
        rmSync(dir, { recursive: true, force: true })
        live.delete(entry)
      },
    }
  } catch (err) {
    spawnSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), 'stop', '-D', data, '-m', 'immediate', '-s'], { stdio: 'ignore' })
    rmSync(dir, { recursive: true, force: true })
    live.delete(entry)
    throw err
  }
}

/**
 * Vitest fixture: one cluster for the file (started in beforeAll, stopped in afterAll even on failure).
 * `const pgc = usePgCluster({ maxConnections: 10 })` then `pgc.cluster.url()` inside tests.
 */
export function usePgCluster(opts: PgClusterOptions = {}): { readonly cluster: PgCluster } {
  let cluster: PgCluster | undefined
  beforeAll(async () => {
    cluster = await startPgCluster(opts)
  })
  afterAll(async () => {
    await cluster?.stop()
  })
  return {
    get cluster() {
      if (!cluster) throw new Error('pg cluster not started (use inside a test)')
      return cluster
    },
  }
}

/** Run `fn` with a fresh cluster and always stop it. */
export async function withPgCluster<T>(opts: PgClusterOptions, fn: (c: PgCluster) => Promise<T>): Promise<T> {
  const c = await startPgCluster(opts)
  try {
    return await fn(c)
  } finally {
    await c.stop()
  }
}

/**
 * Hold `n` idle connections open (to fill slots). Returns the clients and a release function.
 * Connections that fail are reported through the rejected promise.
 */
export async function holdConnections(url: string, n: number): Promise<{ clients: pg.Client[]; release(): Promise<void> }> {
  const clients: pg.Client[] = []
  try {
    for (let i = 0; i < n; i++) {
      const c = new pg.Client({ connectionString: url, application_name: 'medic-test-holder' })
      c.on('error', () => {})
      await c.connect()
      clients.push(c)
    }
  } catch (err) {
    await Promise.all(clients.map((c) => c.end().catch(() => {})))
    throw err
  }
  return { clients, release: () => Promise.all(clients.map((c) => c.end().catch(() => {}))).then(() => {}) }
}

/**
 * A streaming standby of `primary` (which needs settings wal_level=replica, max_wal_senders>0):
 * pg_basebackup -R into a fresh dir, started on its own free port. Replication connects as the
 * superuser over 127.0.0.1 (trust in the primary's pg_hba: add a replication line).
 */
export async function startStandby(primary: PgCluster): Promise<PgCluster> {
  const { uid, gid } = pgUid()
  const dir = mkdtempSync(join(tmpdir(), 'medic-pg-standby-'))
  const data = join(dir, 'data')
  const logFile = join(dir, 'server.log')
  chownSync(dir, uid, gid)
  const entry = { bin: primary.binDir, data, dir }
  live.add(entry)
  const bin = primary.binDir
  try {
    await asPostgres(join(bin, 'pg_basebackup'), ['-h', primary.host, '-p', String(primary.port), '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '--no-sync', '-c', 'fast'])
    const port = await freePort()
    appendFileSync(join(data, 'postgresql.conf'), `\n# standby\nport = ${port}\nunix_socket_directories = ${q(dir)}\nhot_standby = on\n`)
    await asPostgres(join(bin, 'pg_ctl'), ['start', '-D', data, '-l', logFile, '-w', '-t', '30', '-s'], 45_000)
    const host = '127.0.0.1'
    const sql = async (text: string, db = 'postgres') => {
      const c = new pg.Client({ connectionString: `postgres://postgres@${host}:${port}/${db}`, application_name: 'medic-test-setup' })
      await c.connect()
      try {
        return await c.query(text)
      } finally {
        await c.end()
      }
    }
    let stopped = false
    return {
      host,
      port,
      dir,
      version: primary.version,
      superUrl: `postgres://postgres@${host}:${port}/postgres`,
      url(user = APP_USER, db = APP_DB, password = user === APP_USER ? APP_PASSWORD : '') {
        const auth = password ? `${encodeURIComponent(user)}:${encodeURIComponent(password)}` : encodeURIComponent(user)
        return `postgres://${auth}@${host}:${port}/${encodeURIComponent(db)}`
      },
      sql,
      log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
      dataDir: data,
      binDir: bin,
      runBin: (name, args) => asPostgres(join(bin, name), args),
      async restart(between) {
        await asPostgres(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w', '-s'], 30_000)
        await between?.()
        await asPostgres(join(bin, 'pg_ctl'), ['start', '-D', data, '-l', logFile, '-w', '-t', '30', '-s'], 45_000)
      },
      async stop() {
        if (stopped) return
        stopped = true
        await asPostgres(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-s'], 30_000).catch(() => {})
        rmSync(dir, { recursive: true, force: true })
        live.delete(entry)
      },
    }
  } catch (err) {
    spawnSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), 'stop', '-D', data, '-m', 'immediate', '-s'], { stdio: 'ignore' })
    rmSync(dir, { recursive: true, force: true })
    live.delete(entry)
    throw err
  }
}
