/**
 * postgres.connect: can medic open a session with the DSN? A failure is classified (refused,
 * timeout, DNS, auth, missing database, no free slot) rather than echoed.
 */
import { defineCheck } from '../../engine/check.js'
import { CONNECT_CHECK_ID, endpointOf, pgConnection, psql } from './connection.js'

const SLOTS_SQL = "SELECT usename, application_name, state, count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1, 2, 3 ORDER BY 4 DESC"

export default defineCheck({
  meta: {
    id: CONNECT_CHECK_ID,
    title: 'PostgreSQL accepts a connection',
    targets: ['postgres'],
    description:
      'Opens one session with the configured DSN (application_name medic) and classifies a failure: connection refused, timeout, unknown host, TLS, wrong password / unknown role / no pg_hba entry, missing database, or no free connection slot.',
    defaults: {},
    findings: {
      'postgres.unreachable': {
        title: 'PostgreSQL is unreachable',
        fix: 'Start PostgreSQL or fix the host and port in the DSN.',
        commands: ['pg_isready -h <host> -p <port>'],
      },
      'postgres.auth-failed': {
        title: 'PostgreSQL rejected the credentials',
        fix: 'Fix the user or password in the DSN, or the pg_hba.conf entry.',
        commands: ['psql "<dsn without password>" -c "SELECT 1"'],
      },
      'postgres.database-missing': {
        title: 'The database named in the DSN does not exist',
        fix: 'Create the database or fix its name in the DSN.',
        commands: ['psql "<dsn without password>" -c "SELECT 1"'],
      },
      'postgres.connections-saturated': {
        title: 'PostgreSQL has no free connection slot',
        fix: 'Close leaked or idle-in-transaction sessions and cap the application pools.',
        commands: ['psql "<dsn without password>" -c "SELECT 1"'],
      },
    },
  },
  async run(ctx) {
    const url = String(ctx.target.options.url)
    const ep = endpointOf(url)
    const c = await pgConnection(ctx)
    if (c.ok) {
      const s = c.session
      ctx.observe('postgres.reachable', true)
      ctx.observe('postgres.connectMs', s.connectMs)
      ctx.observe('postgres.version', s.version)
      ctx.observe('postgres.versionNum', s.versionNum)
      ctx.observe('postgres.superuser', s.superuser)
      ctx.ok(
        { label: 'connected', observed: `${s.version} at ${ep.host}:${ep.port} as "${ep.user}" to "${ep.database}" in ${s.connectMs} ms` },
      )
      return
    }
    const f = c.failure
    ctx.observe('postgres.reachable', false)
    ctx.observe('postgres.connectError', f.kind)
    ctx.observe('postgres.connectMs', c.connectMs)
    // The server itself says every slot a normal role may use is taken.
    if (f.kind === 'reserved-slots' || f.kind === 'too-many-clients') ctx.observe('postgres.slots.usedPct', 100)
    const evidence = [
      { label: `connect to ${ep.host}:${ep.port} as "${ep.user}" db "${ep.database}"`, observed: f.summary, expected: 'a session' },
      { label: 'driver said', observed: `${f.code ? `${f.code}: ` : ''}${f.driverMessage}` },
    ]
    if (f.kind === 'timeout') evidence.push({ label: 'waited', observed: `${c.connectMs} ms (budget ${c.budgetMs} ms)`, expected: 'an answer' })
    const psqlCmd = (sql: string) => psql(ctx, sql)
    const commands: Record<typeof f.finding, string[]> = {
      'postgres.unreachable': [`pg_isready -h ${ep.host} -p ${ep.port}`, ...(f.kind === 'host-not-found' || f.kind === 'dns-temporary' ? [`getent hosts ${ep.host}`] : [`nc -zv ${ep.host} ${ep.port}`])],
      'postgres.auth-failed': [psqlCmd('SELECT 1'), "sudo -u postgres psql -c \"SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = '" + ep.user + "'\""],
      'postgres.database-missing': [`psql "${url.startsWith('postgresql') ? 'postgresql' : 'postgres'}://${ep.user}@${ep.host}:${ep.port}/postgres" -c "\\l"`],
      'postgres.connections-saturated': [`sudo -u postgres psql -c "${SLOTS_SQL}"`, `sudo -u postgres psql -c "SHOW max_connections"`],
    }
    ctx.finding(f.finding, {
      severity: 'critical',
      title:
        f.finding === 'postgres.connections-saturated'
          ? `PostgreSQL refused the connection: no free slot (${f.kind === 'reserved-slots' ? 'only reserved superuser slots left' : f.kind === 'too-many-clients' ? 'too many clients' : 'connection limit reached'})`
          : `PostgreSQL ${f.finding === 'postgres.unreachable' ? 'is unreachable' : f.finding === 'postgres.auth-failed' ? 'rejected the login' : 'database is missing'}: ${f.summary}`,
      evidence,
      fix: f.fix,
      commands: commands[f.finding],
    })
  },
})
