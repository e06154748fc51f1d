/**
 * mysql.connect: can medic log in, as the app would? Reports the connect failure once for the
 * target (the other mysql.* checks skip and point here): unreachable (refused, timeout, DNS),
 * auth-failed, database-missing ("Database not initialized"), and connections-saturated when the
 * login itself is refused with "Too many connections".
 */
import { defineCheck, fillTemplate, type CheckContext } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { addressOf, MysqlConnectError, openSession, query, sharedSession, templateValues, type MysqlAddress } from './client.js'
import type { ConnectFailure } from './errors.js'

const meta = {
  id: 'mysql.connect',
  title: 'MySQL/MariaDB login',
  targets: ['mysql' as const],
  description:
    'Opens one read-only session with the target DSN and classifies a failure: refused, timeout, host name that does not resolve, access denied, unknown database, too many connections.',
  defaults: {},
  findings: {
    'mysql.unreachable': {
      title: 'MySQL/MariaDB is unreachable',
      fix: 'Start the server or fix the host and port in the DSN (docker-compose: DB_HOST must be the service name, and the app must wait until the database is healthy). Check that the server listens on that interface (bind-address) and that no firewall drops the port.',
      commands: ['{admin} -h {host} -P {port} ping', 'getent hosts {host}', 'nc -vz -w 3 {host} {port}'],
    },
    'mysql.auth-failed': {
      title: 'MySQL/MariaDB refused the login',
      fix: "Check the user and password the app uses (DB_USER/DB_PASSWORD, the DSN), and that an account exists for the client host: accounts are user@host, so create 'user'@'%' or 'user'@'<client address>' and grant it the app's database.",
      commands: [
        '{client} -h {host} -P {port} -u {user} -p -e "SELECT CURRENT_USER()"',
        '{client} -h {host} -P {port} -u root -p -e "SELECT user, host, plugin FROM mysql.user WHERE user = \'{user}\'"',
      ],
    },
    'mysql.database-missing': {
      title: 'The database does not exist',
      fix: "Create the database and run the app's migrations (or let the container create it: MYSQL_DATABASE / MARIADB_DATABASE only acts on the first start with an empty data volume). Start the app only once the database is healthy (docker-compose `depends_on: condition: service_healthy`).",
      commands: ['{client} -h {host} -P {port} -u {user} -p -e "SHOW DATABASES"'],
    },
    'mysql.connections-saturated': {
      title: 'MySQL/MariaDB refuses new connections: too many connections',
      fix: 'Find who holds the connections (SHOW PROCESSLIST as an account with CONNECTION ADMIN/SUPER, which keeps one spare slot), kill leaked or long-sleeping ones, cap the app pool sizes (their sum must stay below max_connections) and lower wait_timeout; raise max_connections only if memory allows.',
      commands: [
        '{client} -h {host} -P {port} -u root -p -e "SHOW PROCESSLIST"',
        '{client} -h {host} -P {port} -u root -p -e "SELECT user, host, COUNT(*) FROM information_schema.PROCESSLIST GROUP BY user, host ORDER BY 3 DESC"',
      ],
    },
  },
}

function titleOf(f: ConnectFailure, address: string): string {
  switch (f.finding) {
    case 'mysql.unreachable':
      return `MySQL/MariaDB at ${address} is unreachable: ${f.summary}`
    case 'mysql.auth-failed':
      return `MySQL/MariaDB refused the login: ${f.summary}`
    case 'mysql.database-missing':
      return `MySQL/MariaDB: ${f.summary} (Database not initialized)`
    default:
      return `MySQL/MariaDB: ${f.summary}`
  }
}

/** When the database is missing, say which ones this user can see (one more short session, without a database). */
async function visibleDatabases(ctx: CheckContext, a: MysqlAddress): Promise<string[] | undefined> {
  if (ctx.remainingMs() < 400) return undefined
  try {
    const s = await openSession(ctx, a, { database: false })
    try {
      const rows = await query(ctx, s, 'SHOW DATABASES')
      return rows.map((r) => String(Object.values(r)[0]))
    } finally {
      s.conn.destroy()
    }
  } catch {
    return undefined
  }
}

export default defineCheck({
  meta,
  async run(ctx) {
    const a = addressOf(ctx)
    const where = a.socketPath ? `socket ${a.socketPath}` : `${a.host}:${a.port}`
    try {
      const s = await sharedSession(ctx)
      const values = templateValues(a, s.info.flavor)
      ctx.observe('mysql.reachable', true)
      ctx.observe('mysql.failure', null)
      ctx.observe('mysql.authOk', true)
      if (a.database) ctx.observe('mysql.databaseExists', true)
      ctx.observe('mysql.version', s.info.version)
      ctx.observe('mysql.flavor', s.info.flavor)
      ctx.observe('mysql.connectMs', s.info.connectMs)
      ctx.observe('mysql.tls', s.info.tls ?? (a.ssl ? 'on' : null))
      const limit =
        s.info.statementLimit === 'max_statement_time'
          ? `, max_statement_time ${Math.ceil(ctx.config.timeoutMs / 1000)} s`
          : s.info.statementLimit === 'max_execution_time'
            ? `, max_execution_time ${Math.ceil(ctx.config.timeoutMs / 1000) * 1000} ms`
            : ''
      ctx.ok(
        {
          label: 'login',
          observed: `${values.user} to ${a.database ? `database ${a.database}` : 'no database'} on ${s.info.flavor === 'mariadb' ? 'MariaDB' : 'MySQL'} ${s.info.version.replace(/-.*$/, '')} at ${where} in ${s.info.connectMs} ms`,
        },
        { label: 'session', observed: `read-only${limit}, thread ${s.info.connectionId}${s.info.tls ? `, ${s.info.tls}` : a.ssl ? ', TLS' : ''}` },
      )
      return
    } catch (err) {
      if (!(err instanceof MysqlConnectError)) throw err
      const f = err.failure
      const values = templateValues(a)
      const evidence: Evidence[] = []
      ctx.observe('mysql.failure', f.reason)
      switch (f.finding) {
        case 'mysql.unreachable': {
          ctx.observe('mysql.reachable', false)
          if (f.hostResolves !== undefined) ctx.observe('mysql.hostResolves', f.hostResolves)
          if (f.reason === 'dns') evidence.push({ label: 'host name', observed: `${f.summary} (${f.code})`, expected: 'resolves to an address' })
          else evidence.push({ label: 'connect', observed: `${f.summary} (${f.code})`, expected: `a MySQL/MariaDB greeting from ${where}` })
          if (f.resolvedTo?.length) evidence.push({ label: 'host name', observed: `${a.host} resolves to ${f.resolvedTo.join(', ')}` })
          break
        }
        case 'mysql.auth-failed':
          ctx.observe('mysql.reachable', true)
          ctx.observe('mysql.authOk', false)
          evidence.push({ label: 'login', observed: `${f.summary} (${f.code})`, expected: 'login accepted' })
          break
        case 'mysql.database-missing': {
          ctx.observe('mysql.reachable', true)
          ctx.observe('mysql.authOk', true)
          ctx.observe('mysql.databaseExists', false)
          evidence.push({ label: 'database', observed: `${f.summary} (${f.code})`, expected: `database ${a.database} exists` })
          const dbs = await visibleDatabases(ctx, a)
          if (dbs) evidence.push({ label: `databases visible to ${a.user}`, observed: dbs.length ? dbs.join(', ') : '(none)' })
          break
        }
        case 'mysql.connections-saturated':
          ctx.observe('mysql.reachable', true)
          if (f.reason === 'too-many-connections') ctx.observe('mysql.connectionsUsedPct', 100)
          evidence.push({ label: 'connections', observed: `${f.summary} (${f.code})`, expected: 'a free connection slot' })
          break
      }
      if (f.serverMessage) evidence.push({ label: 'server said', observed: f.serverMessage })
      if (f.tlsMessage) evidence.push({ label: 'TLS said', observed: f.tlsMessage, expected: a.ssl?.caPath ? `a certificate signed by ${a.ssl.caPath}` : 'a certificate trusted by the system CAs (or ssl-ca=/path in the DSN)' })
      const message = meta.findings[f.finding]
      ctx.finding(f.finding, {
        severity: 'critical',
        title: titleOf(f, where),
        evidence,
        fix: `${f.explanation} ${message.fix}`,
        commands: message.commands.map((c) => fillTemplate(c, values)),
      })
    }
  },
})
