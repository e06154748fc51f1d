/**
 * postgres.replication: replay lag, seen from either side. On a primary, pg_stat_replication
 * (replay_lag per standby, and bytes behind); on a standby, the age of the last replayed
 * transaction while WAL is still waiting to be replayed (an idle primary is not lag).
 */
import { defineCheck } from '../../engine/check.js'
import { fmtInt, fmtSeconds, psql, readOnly, requireSession } from './connection.js'

interface Standby {
  application_name: string | null
  client: string | null
  state: string | null
  lag_s: number | null
  bytes: string | null
}

export default defineCheck({
  meta: {
    id: 'postgres.replication',
    title: 'Replication lag',
    targets: ['postgres'],
    description:
      'On a primary: replay lag and bytes behind of each connected standby (pg_stat_replication). On a standby: seconds since the last replayed transaction while received WAL waits to be replayed, and whether replay is paused.',
    defaults: { warningSeconds: 5 },
    findings: {
      'postgres.replication-lag': {
        title: 'A replica is lagging behind',
        fix: 'Check the standby: replay paused (SELECT pg_wal_replay_resume()), a long query on the standby holding replay back (max_standby_streaming_delay, hot_standby_feedback), disk or CPU saturation there, or the network between the two. Reads routed to a lagging replica return stale data.',
        commands: ['psql "<dsn without password>" -c "SELECT application_name, client_addr, state, replay_lag FROM pg_stat_replication"'],
      },
    },
  },
  async run(ctx, o) {
    const s = await requireSession(ctx)
    const data = await readOnly(ctx, s, async (q) => {
      const [{ standby }] = await q<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby')
      if (standby) {
        const [r] = await q<{ lag_s: number | null; paused: boolean; receive: string | null; replay: string | null; behind: string | null }>(
          `SELECT CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
                       ELSE extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8 END AS lag_s,
                  pg_is_wal_replay_paused() AS paused,
                  pg_last_wal_receive_lsn()::text AS receive, pg_last_wal_replay_lsn()::text AS replay,
                  pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::text AS behind`,
        )
        return { role: 'standby' as const, r }
      }
      const standbys = await q<Standby>(
        `SELECT application_name, host(client_addr) AS client, state, extract(epoch FROM replay_lag)::float8 AS lag_s,
                pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::text AS bytes
           FROM pg_stat_replication`,
      )
      return { role: 'primary' as const, standbys }
    })
    ctx.observe('postgres.replication.role', data.role)
    if (data.role === 'standby') {
      const { r } = data
      const lag = r.lag_s ?? 0
      ctx.observe('postgres.replication.lagSeconds', Math.round(lag * 10) / 10)
      ctx.observe('postgres.replication.replayPaused', r.paused)
      const evidence = [
        { label: 'replay lag (this standby)', observed: `${fmtSeconds(lag)}; received ${r.receive ?? '?'}, replayed ${r.replay ?? '?'} (${fmtInt(Number(r.behind ?? 0))} bytes behind)${r.paused ? '; replay is PAUSED' : ''}`, expected: `< ${fmtSeconds(o.warningSeconds)}` },
      ]
      if (lag < o.warningSeconds) return ctx.ok(...evidence)
      ctx.finding('postgres.replication-lag', {
        severity: 'warning',
        title: `This standby is ${fmtSeconds(lag)} behind its primary${r.paused ? ' (replay paused)' : ''}`,
        evidence,
        commands: [psql(ctx, 'SELECT now() - pg_last_xact_replay_timestamp() AS lag, pg_is_wal_replay_paused(), pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()')],
      })
      return
    }
    const { standbys } = data
    ctx.observe('postgres.replication.standbys', standbys.length)
    const maxLag = standbys.reduce((m, x) => Math.max(m, x.lag_s ?? 0), 0)
    ctx.observe('postgres.replication.lagSeconds', Math.round(maxLag * 10) / 10)
    const hidden = standbys.filter((x) => x.state === null).length
    const evidence = standbys.map((x) => ({
      label: `standby ${x.application_name || '?'}${x.client ? ` (${x.client})` : ''}`,
      observed: x.state === null ? 'details hidden (needs pg_monitor)' : `${x.state}, replay lag ${x.lag_s === null ? 'none reported' : fmtSeconds(x.lag_s)}, ${fmtInt(Number(x.bytes ?? 0))} bytes behind`,
      expected: `< ${fmtSeconds(o.warningSeconds)}`,
    }))
    const lagging = standbys.filter((x) => (x.lag_s ?? 0) >= o.warningSeconds)
    if (lagging.length === 0) {
      ctx.ok(...(evidence.length ? evidence : [{ label: 'standbys', observed: hidden ? `${hidden} (hidden)` : 'none connected' }]))
      return
    }
    ctx.finding('postgres.replication-lag', {
      severity: 'warning',
      title: `${lagging.length} standby(s) lag by up to ${fmtSeconds(maxLag)}`,
      evidence,
      commands: [psql(ctx, 'SELECT application_name, client_addr, state, replay_lag, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) AS bytes_behind FROM pg_stat_replication')],
    })
  },
})
