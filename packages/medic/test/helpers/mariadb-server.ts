/**
 * A throwaway MariaDB for tests: a fresh datadir from `mariadb-install-db`, `mariadbd` on a free
 * 127.0.0.1 port with a private socket, tuned to start fast and stay small. Grant tables stay on
 * (auth tests need them). Never touches the shared server on 3306.
 *
 * Users it creates:
 *   app@%    password APP_PASSWORD: ALL on `appdb`.*, PROCESS on *.* (sees every thread, as a
 *            monitoring user should), no global admin rights (so it gets ER_CON_COUNT_ERROR 1040
 *            when max_connections is full).
 *   admin@%  password ADMIN_PASSWORD: ALL on *.* (CONNECTION ADMIN: may take the one extra slot
 *            MariaDB keeps above max_connections).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mysql, { type Connection } from 'mysql2/promise'
import { freePort } from './ports.js'

export const APP_PASSWORD = 'app-Pw-planted-4417'
export const ADMIN_PASSWORD = 'admin-Pw-planted-9052'

export interface MariaDbOptions {
  maxConnections?: number
  /** Extra `--name=value` server options. */
  args?: string[]
}

export interface MariaDbServer {
  host: '127.0.0.1'
  port: number
  socket: string
  dir: string
  /** `mysql://user:password@127.0.0.1:port/database` (defaults: app, its password, appdb). */
  url(o?: { user?: string; password?: string; database?: string }): string
  /** A new connection (default: app to appdb over TCP). The caller closes it. */
  connect(o?: { user?: string; password?: string; database?: string }): Promise<Connection>
  /** Run SQL as root over the socket (setup only). */
  root(sql: string, values?: unknown[]): Promise<unknown>
  stop(): Promise<void>
}

const live = new Set<ChildProcess>()
// A crashed test run must not leave servers behind.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err.slice(-800)}`))))
  })
}

export async function startMariaDb(opts: MariaDbOptions = {}): Promise<MariaDbServer> {
  const dir = await mkdtemp(join(tmpdir(), 'medic-mariadb-'))
  const datadir = join(dir, 'data')
  const socket = join(dir, 'sock')
  // A private tmpdir: bootstrap temp tables in a shared /tmp can collide with another install running at the same time.
  const tmp = join(dir, 'tmp')
  await mkdir(tmp)
  const speed = ['--innodb-buffer-pool-size=16M', '--innodb-log-file-size=4M', `--tmpdir=${tmp}`]
  const install = () =>
    run('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${datadir}`,
      '--user=root',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
      ...speed,
    ])
  try {
    await install().catch(async () => {
      // One retry from a clean datadir: bootstrap is occasionally upset by a busy machine.
      await rm(datadir, { recursive: true, force: true })
      await install()
    })
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err
  }
  const port = await freePort()
  const child = spawn(
    'mariadbd',
    [
      '--no-defaults',
      '--user=root',
      `--datadir=${datadir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${socket}`,
      `--pid-file=${join(dir, 'pid')}`,
      `--log-error=${join(dir, 'error.log')}`,
      `--max-connections=${opts.maxConnections ?? 30}`,
      '--skip-name-resolve',
      '--skip-log-bin',
      '--innodb-flush-log-at-trx-commit=0',
      '--innodb-doublewrite=0',
      '--performance-schema=OFF',
      ...speed,
      ...(opts.args ?? []),
    ],
    { stdio: 'ignore' },
  )
  live.add(child)
  let exited = false
  child.once('exit', () => {
    exited = true
    live.delete(child)
  })

  const stop = async () => {
    if (!exited) {
      const gone = new Promise((r) => child.once('exit', r))
      child.kill('SIGKILL')
      await gone
    }
    await rm(dir, { recursive: true, force: true })
  }

  const rootConnect = () => mysql.createConnection({ socketPath: socket, user: 'root', connectTimeout: 2000 })
  try {
    let root: Connection | undefined
    const until = Date.now() + 30_000
    while (!root) {
      if (exited) throw new Error(`mariadbd exited during start-up: ${(await readFile(join(dir, 'error.log'), 'utf8').catch(() => '')).slice(-800)}`)
      if (Date.now() > until) throw new Error('mariadbd did not answer within 30 s')
      root = await rootConnect().catch(async () => {
        await new Promise((r) => setTimeout(r, 50))
        return undefined
      })
    }
    for (const sql of [
      'CREATE DATABASE appdb',
      `CREATE USER 'app'@'%' IDENTIFIED BY '${APP_PASSWORD}'`,
      "GRANT ALL ON appdb.* TO 'app'@'%'",
      "GRANT PROCESS ON *.* TO 'app'@'%'",
      `CREATE USER 'admin'@'%' IDENTIFIED BY '${ADMIN_PASSWORD}'`,
      "GRANT ALL ON *.* TO 'admin'@'%'",
    ]) {
      await root.query(sql)
    }
    await root.end()
  } catch (err) {
    await stop()
    throw err
  }

  const creds = (o: { user?: string; password?: string; database?: string } = {}) => {
    const user = o.user ?? 'app'
    const password = o.password ?? (user === 'admin' ? ADMIN_PASSWORD : user === 'app' ? APP_PASSWORD : '')
    return { user, password, database: o.database ?? 'appdb' }
  }

  return {
    host: '127.0.0.1',
    port,
    socket,
    dir,
    url(o) {
      const c = creds(o)
      const auth = c.password ? `${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}` : encodeURIComponent(c.user)
      return `mysql://${auth}@127.0.0.1:${port}/${c.database}`
    },
    connect(o) {
      const c = creds(o)
      return mysql.createConnection({ host: '127.0.0.1', port, ...c, connectTimeout: 5000 })
    },
    async root(sql, values) {
      const c = await rootConnect()
      try {
        const [rows] = await c.query(sql, values)
        return rows
      } finally {
        await c.end()
      }
    },
    stop,
  }
}
