/**
 * postgres.deadlocks: did pg_stat_database.deadlocks rise during a short observation window?
 * The counter alone is history since the last stats reset; a rise says it is happening now.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { defineCheck } from '../../engine/check.js'
import { fmtInt, psql, readOnly, requireSession } from './connection.js'

const SQL = 'SELECT datname, deadlocks, stats_reset FROM pg_stat_database WHERE datname = current_database()'

export default defineCheck({
  meta: {
    id: 'postgres.deadlocks',
    title: 'Deadlocks happening now',
    targets: ['postgres'],
    description:
      'Samples pg_stat_database.deadlocks for the target database twice, windowMs apart (shortened to fit the deadline), and warns when it rose. The total since the last statistics reset is recorded too.',
    defaults: { windowMs: 500 },
    findings: {
      'postgres.deadlocks': {
        title: 'Deadlocks are happening',
        fix: 'Find the pair in the server log ("deadlock detected" with both statements and the lock they waited on) and make every code path lock rows and tables in the same order (e.g. ORDER BY id ... FOR UPDATE), keep transactions short, and retry the victim transaction.',
        commands: [`psql "<dsn without password>" -c "${SQL}"`],
      },
    },
  },
  async run(ctx, o) {
    const s = await requireSession(ctx)
    const sample = () =>
      readOnly(ctx, s, async (q) => {
        // A fresh statistics snapshot each time (stats are cached per transaction).
        await q('SELECT pg_stat_clear_snapshot()')
        const [r] = await q<{ deadlocks: string; stats_reset: Date | null; db: string }>(
          `SELECT deadlocks::text, stats_reset, datname AS db FROM pg_stat_database WHERE datname = current_database()`,
        )
        return r
      })
    const first = await sample()
    const t0 = performance.now()
    const windowMs = Math.max(0, Math.min(o.windowMs, ctx.remainingMs() - 500))
    await sleep(windowMs, undefined, { signal: ctx.signal })
    const second = await sample()
    const waited = Math.round(performance.now() - t0)
    const before = Number(first.deadlocks)
    const after = Number(second.deadlocks)
    const delta = after - before
    ctx.observe('postgres.deadlocks.total', after)
    ctx.observe('postgres.deadlocks.delta', delta)
    ctx.observe('postgres.deadlocks.windowMs', waited)
    const since = second.stats_reset ? `since ${new Date(second.stats_reset).toISOString()}` : 'since statistics began'
    const evidence = [
      { label: 'deadlocks during the window', observed: `${fmtInt(before)} → ${fmtInt(after)} (+${delta}) in ${(waited / 1000).toFixed(1)} s`, expected: '+0' },
      { label: `total in database ${second.db}`, observed: `${fmtInt(after)} ${since}` },
    ]
    if (delta <= 0) {
      ctx.ok(...evidence)
      return
    }
    ctx.finding('postgres.deadlocks', {
      severity: 'warning',
      title: `${delta} deadlock(s) in ${(waited / 1000).toFixed(1)} s in database ${second.db}`,
      evidence,
      commands: [psql(ctx, SQL), 'grep -A5 "deadlock detected" <postgresql log>'],
    })
  },
})
