/**
 * mysql.slow-log: the share of statements slower than long_query_time (Slow_queries / Questions,
 * counted whether or not the slow log is on), and whether the slow log records them.
 *
 * "Slow log off" is reported as info, not warning: nothing is broken, and the log is off by default
 * on MySQL and MariaDB, so a warning would turn every default install non-OK (Nagios exit 1) and
 * teach people to ignore warnings. What it costs is evidence: when queries do get slow there is no
 * record of which ones, so the finding says how to switch it on before that happens.
 */
import { defineCheck, fillTemplate } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { duration, globalStatus, globalVariables, num, pct, sessionOrSkip, templateValues } from './client.js'

const meta = {
  id: 'mysql.slow-log',
  title: 'MySQL/MariaDB slow statements and slow log',
  targets: ['mysql' as const],
  description:
    'Compares Slow_queries with Questions since start (warning above 5 % once there were at least 1000 statements) and reports as info a slow query log that is off (or logs nowhere).',
  defaults: { warningPct: 5, minQuestions: 1000 },
  findings: {
    'mysql.slow-queries': {
      title: 'Many MySQL/MariaDB statements are slow',
      fix: 'Find the slow statements in the slow log (mysqldumpslow -s t or pt-query-digest on the file; mysql.slow_log when log_output=TABLE), EXPLAIN the top ones and add the missing indexes or rewrite them. Check long_query_time: the share only means something against a sensible threshold (1 s, not the 10 s default).',
      commands: [
        '{client} -h {host} -P {port} -u {user} -p -e "SHOW GLOBAL STATUS WHERE Variable_name IN (\'Slow_queries\', \'Questions\', \'Uptime\')"',
        '{client} -h {host} -P {port} -u {user} -p -e "SHOW GLOBAL VARIABLES WHERE Variable_name IN (\'slow_query_log\', \'slow_query_log_file\', \'long_query_time\', \'log_output\')"',
      ],
    },
  },
}

const ENABLE =
  "Turn the slow log on so slow statements leave a record: SET GLOBAL slow_query_log = ON; SET GLOBAL long_query_time = 1; (and in the server config, [mysqld] slow_query_log = 1, long_query_time = 1, so it survives a restart; log_output = FILE or TABLE)."

export default defineCheck({
  meta,
  async run(ctx, o) {
    const s = await sessionOrSkip(ctx)
    const [status, vars] = await Promise.all([globalStatus(ctx, s), globalVariables(ctx, s)])
    const slow = num(status, 'Slow_queries')
    const questions = num(status, 'Questions')
    const longQueryTime = num(vars, 'long_query_time')
    const logOn = /^(on|1)$/i.test(vars.get('slow_query_log') ?? '')
    const output = (vars.get('log_output') ?? 'FILE').toUpperCase()
    // log_output = NONE means the slow log is "on" yet writes nowhere.
    const recording = logOn && !/^NONE$/.test(output)
    const uptime = num(status, 'Uptime')
    const commands = meta.findings['mysql.slow-queries'].commands.map((c) => fillTemplate(c, templateValues(s.address, s.info.flavor)))
    const file = vars.get('slow_query_log_file')
    if (recording && file && output.includes('FILE')) commands.push(`mysqldumpslow -s t -t 10 ${file}`)

    ctx.observe('mysql.slowLogEnabled', recording)
    if (longQueryTime !== undefined) ctx.observe('mysql.longQueryTime', longQueryTime)
    if (slow === undefined || !questions) return ctx.skip('the server reports no Slow_queries or Questions counters')
    const slowPct = pct(slow, questions)
    ctx.observe('mysql.slowQueries', slow)
    ctx.observe('mysql.questions', questions)
    ctx.observe('mysql.slowQueriesPct', slowPct)

    const threshold = longQueryTime !== undefined ? `long_query_time ${longQueryTime} s` : 'long_query_time unknown'
    const since = uptime !== undefined ? ` since start (up ${duration(uptime)})` : ' since start'
    const ratio: Evidence = {
      label: 'slow statements',
      observed: `${slow} of ${questions} (${slowPct} %, Slow_queries / Questions, ${threshold})${since}`,
      expected: questions < o.minQuestions ? `judged from ${o.minQuestions} statements on (too few so far)` : `≤ ${o.warningPct} %`,
    }
    const log: Evidence = {
      label: 'slow query log',
      observed: recording ? `on (${output.toLowerCase()}${file && output.includes('FILE') ? ` ${file}` : ''})` : logOn ? 'on, but log_output = NONE: nothing is written' : 'off (slow_query_log = OFF)',
      expected: 'on, long_query_time ≤ 1 s',
    }
    const tooHigh: Evidence[] =
      longQueryTime !== undefined && longQueryTime > 2
        ? [{ label: 'long_query_time', observed: `${longQueryTime} s: only statements slower than that count as slow`, expected: '≤ 1 s' }]
        : []

    if (questions >= o.minQuestions && slowPct > o.warningPct) {
      ctx.finding('mysql.slow-queries', {
        severity: 'warning',
        title: `${slowPct} % of MySQL/MariaDB statements are slower than ${longQueryTime ?? '?'} s (${slow} of ${questions})${recording ? '' : ', and the slow log is off'}`,
        evidence: [ratio, log, ...tooHigh],
        fix: recording ? undefined : `${ENABLE} Then: ${meta.findings['mysql.slow-queries'].fix}`,
        commands,
      })
      return
    }
    if (!recording) {
      ctx.finding('mysql.slow-queries', {
        severity: 'info',
        title: 'The MySQL/MariaDB slow query log is off: slow statements leave no record',
        evidence: [log, ratio, ...tooHigh],
        fix: ENABLE,
        commands,
      })
      return
    }
    ctx.ok(ratio, log, ...tooHigh)
  },
})
