/**
 * Throwaway Redis servers for live tests.
 *
 * `startRedis(opts)` runs the installed `redis-server` on a free 127.0.0.1 port with persistence off
 * (`--save "" --appendonly no`) and its own temp dir, plus whatever extra settings a scenario needs
 * (maxmemory, maxclients, requirepass, ACL users, `--enable-debug-command yes`...), waits until it
 * answers PING and returns its URL. `stop()` kills the process and removes the dir; servers still
 * running when the test process exits are killed by an exit hook. Never touches the shared 6379.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { freePort } from './ports.js'

export interface RedisServerOptions {
  /** Extra config as `name -> value` (`{ maxmemory: '1mb', 'maxmemory-policy': 'noeviction' }`). */
  config?: Record<string, string | number>
  /** ACL lines written to an aclfile (`user app on >pw ~* +@all`). Implies `aclfile`. */
  aclUsers?: string[]
  /** Password of the default user (`requirepass`); also used by `admin()`. */
  password?: string
  /** `--enable-debug-command yes` (DEBUG SLEEP, DEBUG ...). */
  debug?: boolean
  /** `--enable-protected-configs yes` (CONFIG SET dir/dbfilename at runtime). */
  protectedConfigs?: boolean
  /** Address to bind and connect to (default 127.0.0.1); a non-loopback one shows protected mode. */
  bind?: string
  /** TLS: serve TLS on the port instead of plain TCP, with these files. */
  tls?: { cert: string; key: string; ca?: string }
}

export interface RedisServer {
  host: string
  port: number
  dir: string
  /** redis://[user:password@]127.0.0.1:port (password-only when user is ''). */
  url(user?: string, password?: string): string
  /** A new ioredis client as the default user (with the configured password); the caller quits it. */
  admin(): Redis
  /** Server output so far (for debugging a failed test). */
  log(): string
  stop(): Promise<void>
}

const live = new Set<ChildProcess>()
let exitHooked = false
function hookExit() {
  if (exitHooked) return
  exitHooked = true
  process.on('exit', () => {
    for (const p of live) p.kill('SIGKILL')
  })
}

export async function startRedis(opts: RedisServerOptions = {}): Promise<RedisServer> {
  hookExit()
  const dir = mkdtempSync(join(tmpdir(), 'medic-redis-'))
  const port = await freePort()
  const host = opts.bind ?? '127.0.0.1'
  const args = ['--port', String(opts.tls ? 0 : port), '--bind', host, '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--logfile', '']
  if (opts.tls) {
    args.push('--tls-port', String(port), '--tls-cert-file', opts.tls.cert, '--tls-key-file', opts.tls.key, '--tls-auth-clients', 'no')
    if (opts.tls.ca) args.push('--tls-ca-cert-file', opts.tls.ca)
  }
  if (opts.password) args.push('--requirepass', opts.password)
  if (opts.debug) args.push('--enable-debug-command', 'yes')
  if (opts.protectedConfigs) args.push('--enable-protected-configs', 'yes')
  if (opts.aclUsers) {
    const aclfile = join(dir, 'users.acl')
    // The aclfile replaces requirepass for the default user, so restate it there.
    const defaultUser = opts.password ? `user default on >${opts.password} ~* &* +@all` : 'user default on nopass ~* &* +@all'
    writeFileSync(aclfile, [defaultUser, ...opts.aclUsers].join('\n') + '\n')
    args.push('--aclfile', aclfile)
    const i = args.indexOf('--requirepass')
    if (i >= 0) args.splice(i, 2)
  }
  for (const [k, v] of Object.entries(opts.config ?? {})) args.push(`--${k}`, String(v))

  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  live.add(child)
  let output = ''
  child.stdout?.on('data', (d) => (output += d))
  child.stderr?.on('data', (d) => (output += d))
  let exited = false
  child.on('exit', () => {
    exited = true
    live.delete(child)
  })

  const admin = () =>
    new Redis({
      host,
      port,
      password: opts.password,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableReadyCheck: false,
      ...(opts.tls ? { tls: { rejectUnauthorized: false } } : {}),
    })

  // Wait until it answers PING (a few hundred ms at most on this machine).
  const until = Date.now() + 10_000
  for (;;) {
    if (exited) {
      rmSync(dir, { recursive: true, force: true })
      throw new Error(`redis-server exited at start:\n${output}`)
    }
    const c = admin()
    c.on('error', () => {})
    try {
      await c.connect()
      if ((await c.ping()) === 'PONG') {
        c.disconnect()
        break
      }
    } catch (err) {
      c.disconnect()
      // Protected mode refuses this client, which proves the server is up.
      if (/DENIED|Connection is closed|EPIPE|ECONNRESET/.test((err as Error).message) && opts.bind && output.includes('Ready to accept connections')) break
    }
    if (Date.now() > until) {
      child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
      throw new Error(`redis-server on port ${port} did not answer PING within 10 s:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }

  return {
    host,
    port,
    dir,
    url(user = '', password = opts.password ?? '') {
      const scheme = opts.tls ? 'rediss' : 'redis'
      const cred = user || password ? `${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ''}@` : ''
      return `${scheme}://${cred}${host}:${port}`
    },
    admin,
    log: () => output,
    async stop() {
      if (!exited) {
        const gone = new Promise<void>((r) => child.once('exit', () => r()))
        child.kill('SIGKILL')
        await gone
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
