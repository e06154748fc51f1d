/**
 * redis.connect: can medic reach the server, authenticate and get a PING back? Tells a refused
 * port from a name that does not resolve, a silent port, a TLS failure, a missing password
 * (NOAUTH), a wrong one (WRONGPASS) and a full server (maxclients). It also says when the ACL
 * user may not run INFO or CONFIG GET, so the other checks' gaps are explained once.
 */
import { defineCheck, type CheckContext } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { commandsOf, getConfig, getInfo, getSession, InfoRefused, RedisConnectError, type ConnectFailure } from './session.js'

const meta = {
  id: 'redis.connect',
  title: 'Redis answers PING',
  targets: ['redis' as const],
  description:
    'Connects once (the connection is shared by every redis.* check), authenticates as the URL says and sends PING. A failure is classified: refused, host not found, timeout, silent port, TLS, NOAUTH, WRONGPASS, protected mode, maxclients, loading.',
  defaults: {},
  findings: {
    'redis.unreachable': {
      title: 'Redis cannot be reached',
      fix: 'Start Redis (systemctl start redis-server / docker compose up -d redis) or fix host and port in the URL; check firewalls and that the server binds to an address the app can reach.',
      commands: ['{cli} PING', 'ss -ltnp | grep redis'],
    },
    'redis.auth-failed': {
      title: 'Redis refuses the credentials',
      fix: 'Put the password (and the ACL user name for Redis 6+) the server expects into the URL: redis://user:password@host:6379. Compare with `requirepass` / `ACL LIST` on the server.',
      commands: ['{cli} PING', '{cli} ACL WHOAMI'],
    },
    'redis.clients-rejected': {
      title: 'Redis refuses new connections: maxclients reached',
      fix: 'Find who holds the connections (`CLIENT LIST`, look for one address holding many) and fix the leak or pool size; kill idle ones with CLIENT KILL, or raise maxclients (and the open-files limit).',
      commands: ['{cli} INFO clients', '{cli} CLIENT LIST'],
    },
  },
}

const WHY: Record<ConnectFailure, string> = {
  refused: 'connection refused: nothing listens on that port',
  dns: 'host name does not resolve',
  timeout: 'timed out: no TCP connection (firewall drops packets, wrong host, or host down)',
  'no-answer': 'port accepts TCP but nothing answered PING (not Redis, redis:// vs rediss:// mismatch, or the server is hung)',
  'unreachable-network': 'no route to the host',
  tls: 'TLS handshake failed',
  closed: 'the server closed the connection right after connecting',
  noauth: 'NOAUTH: the server requires a password and the URL gives none',
  wrongpass: 'WRONGPASS: wrong user name or password, or the ACL user is disabled',
  denied: 'DENIED: protected mode refuses clients from other hosts while no password is set',
  maxclients: 'max number of clients reached',
  loading: 'LOADING: the server is loading its dataset into memory and refuses commands until done',
  'bad-db': 'the database in the URL cannot be selected',
  other: 'unexpected error',
}

const FIXES: Partial<Record<ConnectFailure, string>> = {
  noauth: 'Add the password to the URL (redis://:password@host:6379, or redis://user:password@host:6379 for an ACL user). Test by hand with REDISCLI_AUTH set or --askpass, never -a on a shared machine.',
  wrongpass: 'The password (or ACL user) in the URL does not match the server. Compare with `requirepass` or `ACL LIST`/`ACL GETUSER <user>` on the server (user enabled: "on"), then update the app secret.',
  denied: 'Set a password (requirepass or an ACL user) and use it in the URL, or bind Redis to an interface the app reaches with protected-mode kept on. Do not just turn protected-mode off on a public interface.',
  loading: 'Wait for the load to finish (INFO persistence: loading_loaded_perc); a large RDB/AOF takes time. If it restarts again and again, look for OOM kills in dmesg.',
  tls: 'Check the CA (tls.ca in medic.yaml), the server name (tls.servername) and that the server serves TLS on this port; use redis:// for a plain port.',
  'no-answer': 'Check the scheme: rediss:// for a TLS port, redis:// for a plain one; make sure the port belongs to Redis (ss -ltnp) and that the server is not frozen (high CPU, swapping).',
  dns: 'Fix the host in the URL: in docker compose it is the service name (e.g. redis), outside compose the published host and port.',
}

export default defineCheck({
  meta,
  async run(ctx: CheckContext) {
    const cmd = (id: keyof typeof meta.findings) => commandsOf(meta.findings[id].commands, ctx)
    let session
    try {
      session = await getSession(ctx)
    } catch (err) {
      ctx.observe('redis.reachable', false)
      if (!(err instanceof RedisConnectError)) throw err
      ctx.observe('redis.connectFailure', err.kind)
      if (err.kind === 'bad-db') {
        // Connected and authenticated, but the URL's database cannot be used. No finding in the
        // catalog says this, so the check ends as an error whose reason says what to change.
        ctx.observe('redis.reachable', true)
        ctx.observe('redis.authFailed', false)
        throw new Error(`${err.detail}; fix the number after the port in the URL (redis://host:6379/<db>) or raise "databases" in redis.conf`)
      }
      const evidence: Evidence[] = [
        { label: 'connect', observed: `${WHY[err.kind]} after ${err.elapsedMs} ms`, expected: 'PONG' },
        { label: 'error', observed: err.detail },
      ]
      if (err.kind === 'maxclients') {
        ctx.observe('redis.reachable', true)
        ctx.finding('redis.clients-rejected', { severity: 'critical', evidence, commands: cmd('redis.clients-rejected') })
        return
      }
      if (err.kind === 'noauth' || err.kind === 'wrongpass' || err.kind === 'denied') {
        ctx.observe('redis.reachable', true)
        ctx.observe('redis.authFailed', true)
        const title = err.kind === 'noauth' ? 'Redis needs a password (NOAUTH)' : err.kind === 'wrongpass' ? 'Redis rejects the password (WRONGPASS)' : 'Redis refuses the client (protected mode)'
        ctx.finding('redis.auth-failed', { severity: 'critical', title, evidence, fix: FIXES[err.kind], commands: cmd('redis.auth-failed') })
        return
      }
      const title = err.kind === 'loading' ? 'Redis is loading its dataset' : `Redis cannot be reached (${err.kind})`
      ctx.finding('redis.unreachable', { severity: 'critical', title, evidence, fix: FIXES[err.kind], commands: cmd('redis.unreachable') })
      return
    }

    ctx.observe('redis.reachable', true)
    ctx.observe('redis.authFailed', false)
    ctx.observe('redis.db', session.endpoint.db)
    const db = session.endpoint.db ? `, db ${session.endpoint.db}` : ''
    const evidence: Evidence[] = [
      {
        label: 'PING',
        observed: session.pingError
          ? `answered "${session.pingError.split('.')[0]}" (connected and authenticated as ${session.user}${db})`
          : `PONG in ${session.connectMs} ms (user ${session.user}${db})`,
      },
    ]
    ctx.observe('redis.passwordIgnored', session.passwordIgnored === true)
    if (session.passwordIgnored) {
      evidence.push({ label: 'AUTH', observed: 'a password was supplied but the default user needs none (the server ignores it)', expected: 'requirepass set, or no password in the URL' })
    }
    let infoRefused: InfoRefused | undefined
    try {
      const { info } = await getInfo(ctx, session)
      if (info.redis_version) ctx.observe('redis.version', info.redis_version)
      if (info.role) ctx.observe('redis.role', info.role)
      if (info.redis_mode) ctx.observe('redis.mode', info.redis_mode)
      evidence.push({ label: 'server', observed: `Redis ${info.redis_version ?? '?'} (${info.redis_mode ?? 'standalone'}, ${info.role ?? '?'}), up ${info.uptime_in_seconds ?? '?'} s` })
    } catch (err) {
      if (!(err instanceof InfoRefused)) throw err
      infoRefused = err
    }
    const config = await getConfig(ctx, session, 'maxmemory')
    ctx.observe('redis.infoAllowed', !infoRefused)
    ctx.observe('redis.configAllowed', config.refused === undefined)
    if (config.refused) {
      evidence.push({
        label: 'CONFIG GET',
        observed: `refused (${config.refused}): maxclients, stop-writes-on-bgsave-error, latency-monitor-threshold and slowlog-log-slower-than are unknown`,
      })
    }
    if (infoRefused) {
      ctx.finding('redis.auth-failed', {
        severity: 'info',
        title: `Redis user "${session.user}" may not run INFO: memory, clients and persistence are unknown`,
        evidence: [...evidence, { label: 'INFO', observed: infoRefused.detail, expected: 'allowed (+info)' }],
        fix: `The app works with this user, but medic cannot see memory, clients or persistence. Give medic a user that may read them: ACL SETUSER medic on >… +ping +info +config|get +slowlog|get +latency|latest +client|info +client|setname, and point the target at it.`,
        commands: cmd('redis.auth-failed'),
      })
      return
    }
    ctx.ok(...evidence)
  },
})
