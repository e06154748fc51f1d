/**
 * mysql.aborted: the share of connection attempts that failed (Aborted_connects / Connections)
 * since the server started, with what the server says about why (wrong passwords, closed before
 * login, too many connections). A fresh server with a handful of attempts is not judged.
 */
import { defineCheck, fillTemplate } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { duration, globalStatus, num, pct, sessionOrSkip, templateValues } from './client.js'

const meta = {
  id: 'mysql.aborted',
  title: 'MySQL/MariaDB failed connection attempts',
  targets: ['mysql' as const],
  description:
    'Compares Aborted_connects with Connections since start (warning above 3 % once there were at least 100 attempts) and breaks the failures down by cause where the server counts them (Access_denied_errors, Aborted_connects_preauth, Connection_errors_*).',
  defaults: { warningPct: 3, minConnections: 100 },
  findings: {
    'mysql.aborted-connections': {
      title: 'Many MySQL/MariaDB connection attempts fail',
      fix: 'Find the client that fails: raise log_warnings to 2 or more (MariaDB) or log_error_verbosity to 3 (MySQL) and read the error log ("Access denied for user", "Aborted connection ... (Got timeout reading communication packets)"), or look at performance_schema.host_cache. Then fix its credentials, its connect_timeout/network, or point its health check at a real login instead of a bare TCP connect.',
      commands: [
        '{client} -h {host} -P {port} -u {user} -p -e "SHOW GLOBAL STATUS WHERE Variable_name IN (\'Connections\', \'Aborted_connects\', \'Aborted_connects_preauth\', \'Aborted_clients\', \'Access_denied_errors\') OR Variable_name LIKE \'Connection_errors%\'"',
        '{client} -h {host} -P {port} -u {user} -p -e "SELECT * FROM performance_schema.host_cache\\G"',
      ],
    },
  },
}

/** Counters that say why attempts failed, with the words for each; absent ones are skipped. */
const CAUSES: [name: string, meaning: string][] = [
  ['Access_denied_errors', 'wrong password or unknown user'],
  ['Aborted_connects_preauth', 'closed before login (bare TCP health checks, port scans, connect_timeout)'],
  ['Connection_errors_max_connections', 'max_connections reached'],
  ['Connection_errors_internal', 'server-side errors (out of memory, thread creation)'],
  ['Connection_errors_select', 'errors accepting connections'],
  ['Connection_errors_accept', 'errors accepting connections'],
  ['Connection_errors_peer_address', 'client address lookups failed'],
]

export default defineCheck({
  meta,
  async run(ctx, o) {
    const s = await sessionOrSkip(ctx)
    const status = await globalStatus(ctx, s)
    const attempts = num(status, 'Connections')
    const aborted = num(status, 'Aborted_connects')
    if (attempts === undefined || aborted === undefined) return ctx.skip('the server reports no Connections or Aborted_connects counters')
    const abortedPct = pct(aborted, attempts)
    const uptime = num(status, 'Uptime')
    const abortedClients = num(status, 'Aborted_clients')
    const denied = num(status, 'Access_denied_errors')

    ctx.observe('mysql.connectionAttempts', attempts)
    ctx.observe('mysql.abortedConnects', aborted)
    ctx.observe('mysql.abortedConnectsPct', abortedPct)
    if (denied !== undefined) ctx.observe('mysql.accessDeniedErrors', denied)
    if (abortedClients !== undefined) ctx.observe('mysql.abortedClients', abortedClients)

    const since = uptime !== undefined ? ` since start (up ${duration(uptime)})` : ' since start'
    const ratio: Evidence = {
      label: 'failed connection attempts',
      observed: `${aborted} of ${attempts} (${abortedPct} %, Aborted_connects / Connections)${since}`,
      expected: `≤ ${o.warningPct} %`,
    }
    const causes = CAUSES.map(([name, meaning]) => [name, num(status, name), meaning] as const).filter(([, n]) => (n ?? 0) > 0)
    const breakdown: Evidence[] = causes.map(([name, n, meaning]) => ({ label: name, observed: `${n} (${meaning})` }))
    const clients: Evidence[] = abortedClients
      ? [{ label: 'Aborted_clients', observed: `${abortedClients} established connections dropped without a clean close (client killed, wait_timeout, network)` }]
      : []

    if (attempts < o.minConnections) {
      ctx.ok({ ...ratio, expected: `judged from ${o.minConnections} attempts on (too few so far)` }, ...breakdown)
      return
    }
    if (abortedPct <= o.warningPct) {
      ctx.ok(ratio, ...breakdown, ...clients)
      return
    }
    const top = [...causes].sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))[0]
    ctx.finding('mysql.aborted-connections', {
      severity: 'warning',
      title: `${abortedPct} % of MySQL/MariaDB connection attempts failed (${aborted} of ${attempts})${top ? `, mostly ${top[2]}` : ''}`,
      evidence: [ratio, ...breakdown, ...clients],
      commands: meta.findings['mysql.aborted-connections'].commands.map((c) => fillTemplate(c, templateValues(s.address, s.info.flavor))),
    })
  },
})
