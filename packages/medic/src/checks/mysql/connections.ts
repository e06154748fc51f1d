/**
 * mysql.connections: how full max_connections is (Threads_connected, medic's own session not
 * counted), who holds the connections when it is full, and whether the peak since start
 * (Max_used_connections) or refused logins (Connection_errors_max_connections) show it was full before.
 */
import { defineCheck, fillTemplate } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { duration, globalStatus, globalVariables, num, pct, query, sessionOrSkip, templateValues } from './client.js'

const meta = {
  id: 'mysql.connections',
  title: 'MySQL/MariaDB connection slots',
  targets: ['mysql' as const],
  description:
    'Compares Threads_connected with max_connections (warning at 80 %, critical at 95 %), names the users and client hosts holding the connections, and reports as info a peak (Max_used_connections) that reached 85 % or logins refused since start.',
  defaults: { warningPct: 80, criticalPct: 95, peakInfoPct: 85 },
  findings: {
    'mysql.connections-saturated': {
      title: 'MySQL/MariaDB connections are nearly exhausted',
      fix: 'See who holds the connections (below): a pool larger than needed, connections leaked by the app (many Sleep), or a burst of clients. Cap each app pool so their sum stays below max_connections, close idle connections (lower wait_timeout / pool idle timeout), then raise max_connections only if memory allows.',
      commands: [
        '{client} -h {host} -P {port} -u {user} -p -e "SHOW GLOBAL STATUS LIKE \'Threads_connected\'; SHOW GLOBAL STATUS LIKE \'Max_used_connections\'; SHOW GLOBAL VARIABLES LIKE \'max_connections\'"',
        '{client} -h {host} -P {port} -u {user} -p -e "SELECT user, SUBSTRING_INDEX(host, \':\', 1) AS client, command, COUNT(*) AS n, MAX(time) AS max_s FROM information_schema.PROCESSLIST GROUP BY 1, 2, 3 ORDER BY n DESC"',
      ],
    },
  },
}

export default defineCheck({
  meta,
  async run(ctx, o) {
    const s = await sessionOrSkip(ctx)
    const [status, vars] = await Promise.all([globalStatus(ctx, s), globalVariables(ctx, s)])
    const threads = num(status, 'Threads_connected')
    const max = num(vars, 'max_connections')
    if (threads === undefined || !max) return ctx.skip('the server reports no Threads_connected or max_connections')
    // medic's own session is one of the connected threads; the question is what the others use.
    const used = Math.max(0, threads - 1)
    const usedPct = pct(used, max)
    const peak = num(status, 'Max_used_connections')
    const peakPct = peak === undefined ? undefined : pct(peak, max)
    const refused = num(status, 'Connection_errors_max_connections')
    const uptime = num(status, 'Uptime')
    const values = templateValues(s.address, s.info.flavor)
    const commands = meta.findings['mysql.connections-saturated'].commands.map((c) => fillTemplate(c, values))

    ctx.observe('mysql.threadsConnected', threads)
    ctx.observe('mysql.maxConnections', max)
    ctx.observe('mysql.connectionsUsedPct', usedPct)
    if (peak !== undefined) ctx.observe('mysql.maxUsedConnections', peak)
    if (peakPct !== undefined) ctx.observe('mysql.maxUsedPct', peakPct)
    if (refused !== undefined) ctx.observe('mysql.connectionsRefused', refused)

    const current: Evidence = {
      label: 'connections',
      observed: `${used} of ${max} used (${usedPct} %; Threads_connected ${threads} minus medic's own session; max_connections ${max})`,
      expected: `< ${o.warningPct} % used`,
    }
    const history: Evidence[] = []
    // Above max_connections means the spare admin slot was used or a refused login was counted (MariaDB counts it).
    const over = peak !== undefined && peak > max ? ': above max_connections, logins were refused or the admin spare slot was used' : ''
    if (peak !== undefined) {
      history.push({
        label: 'peak since start',
        observed: `${peak} of ${max} (${peakPct} %, Max_used_connections${uptime !== undefined ? `, up ${duration(uptime)}` : ''}${over})`,
        expected: `< ${o.peakInfoPct} %`,
      })
    }
    // MariaDB counts a 1040 in Aborted_connects, not here, so only a positive count is worth showing.
    if (refused) {
      history.push({ label: 'logins refused since start', observed: `${refused} (Connection_errors_max_connections)`, expected: '0' })
    }
    const userLimit = num(vars, 'max_user_connections')
    if (userLimit) history.push({ label: 'per-user limit', observed: `max_user_connections ${userLimit}` })

    if (usedPct >= o.warningPct) {
      // Who holds them: grouped by user, client host and command (many Sleep = idle pool or leak).
      const holders = await query(
        ctx,
        s,
        `SELECT USER AS user, SUBSTRING_INDEX(HOST, ':', 1) AS client, COMMAND AS command, COUNT(*) AS n, MAX(TIME) AS max_s
           FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()
           GROUP BY USER, SUBSTRING_INDEX(HOST, ':', 1), COMMAND ORDER BY n DESC LIMIT 6`,
      )
      const held = holders.map((h) => `${h.user}@${h.client || 'local'} ${h.n} ${h.command}${h.command === 'Sleep' ? ` (longest idle ${h.max_s} s)` : ''}`)
      ctx.finding('mysql.connections-saturated', {
        severity: usedPct >= o.criticalPct ? 'critical' : 'warning',
        title: `MySQL/MariaDB connections ${usedPct >= o.criticalPct ? 'exhausted' : 'nearly exhausted'}: ${used} of ${max} used (${usedPct} %)`,
        evidence: [current, ...(held.length ? [{ label: 'held by', observed: held.join('; ') }] : []), ...history],
        commands,
      })
      return
    }

    const peakHigh = peakPct !== undefined && peakPct >= o.peakInfoPct
    if (peakHigh || (refused ?? 0) > 0) {
      ctx.finding('mysql.connections-saturated', {
        severity: 'info',
        title: `MySQL/MariaDB connections were nearly exhausted earlier: peak ${peak} of ${max} since start${refused ? `, ${refused} logins refused` : over ? ' (above max_connections)' : ''}`,
        evidence: [...history, current],
        fix: 'The server is not full now, but it was: check the app logs around the peak for "Too many connections", and cap the pools (their sum below max_connections) before the next burst.',
        commands,
      })
      return
    }
    ctx.ok(current, ...history)
  },
})
