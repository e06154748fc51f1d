/**
 * redis.persistence: did the last RDB save or AOF write fail? With stop-writes-on-bgsave-error
 * on (the default), a failed BGSAVE makes a primary refuse every write — and PING — with MISCONF.
 */
import { defineCheck } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { commandsOf, getConfig, num, requireInfo, requireSession } from './session.js'

const meta = {
  id: 'redis.persistence',
  title: 'Redis saves to disk',
  targets: ['redis' as const],
  description: 'Reads INFO persistence: rdb_last_bgsave_status, aof_last_write_status and aof_last_bgrewrite_status; says whether writes are refused with MISCONF.',
  defaults: {},
  findings: {
    'redis.persistence-failing': {
      title: 'Redis cannot save to disk',
      fix: 'Read the Redis log for the reason ("Failed opening the temp RDB file", "No space left on device", "Permission denied", fork failing for lack of memory: vm.overcommit_memory=1). Fix the dir/disk/permissions, then run BGSAVE and check rdb_last_bgsave_status:ok. Turning stop-writes-on-bgsave-error off only hides the problem.',
      commands: ['{cli} INFO persistence', '{cli} CONFIG GET dir', '{cli} CONFIG GET dbfilename', 'df -h', 'tail -n 50 /var/log/redis/redis-server.log'],
    },
  },
}

export default defineCheck({
  meta,
  async run(ctx) {
    const s = await requireSession(ctx)
    const { info } = await requireInfo(ctx, s, 'rdb_last_bgsave_status and aof_last_write_status')
    const rdb = info.rdb_last_bgsave_status
    const aofOn = info.aof_enabled === '1'
    const aofWrite = info.aof_last_write_status
    const aofRewrite = info.aof_last_bgrewrite_status
    const lastSave = num(info, 'rdb_last_save_time')
    const changes = num(info, 'rdb_changes_since_last_save')
    const failing = rdb === 'err' || (aofOn && (aofWrite === 'err' || aofRewrite === 'err'))
    ctx.observe('redis.rdbLastBgsaveStatus', rdb ?? null)
    ctx.observe('redis.aofEnabled', aofOn)
    ctx.observe('redis.aofLastWriteStatus', aofOn ? (aofWrite ?? null) : null)
    ctx.observe('redis.persistenceFailing', failing)

    const lastOk = lastSave ? new Date(lastSave * 1000).toISOString() : 'never'
    const evidence: Evidence[] = [
      {
        label: 'RDB',
        observed: `rdb_last_bgsave_status ${rdb ?? '?'} (last successful save ${lastOk}, ${changes ?? '?'} changes since)`,
        expected: 'ok',
      },
      { label: 'AOF', observed: aofOn ? `aof_last_write_status ${aofWrite ?? '?'}, aof_last_bgrewrite_status ${aofRewrite ?? '?'}` : 'off (appendonly no)', ...(aofOn ? { expected: 'ok' } : {}) },
    ]
    if (!failing) {
      ctx.ok(...evidence)
      return
    }

    const stop = await getConfig(ctx, s, 'stop-writes-on-bgsave-error')
    // Redis only refuses writes for a failed RDB save when save points are configured.
    const savePoints = await getConfig(ctx, s, 'save')
    ctx.observe('redis.stopWritesOnBgsaveError', stop.value === undefined ? null : stop.value === 'yes')
    const misconfSeen = s.pingError?.startsWith('MISCONF')
    const misconfCount = /count=(\d+)/.exec(info.errorstat_MISCONF ?? '')?.[1]
    let writes: string
    if (info.role === 'slave') writes = 'this is a replica: it does not refuse writes for its own save errors'
    else if (misconfSeen) writes = 'refused: PING itself answered MISCONF'
    else if (aofOn && aofWrite === 'err') writes = 'refused with MISCONF (AOF write errors)'
    else if (stop.value === 'yes' && savePoints.value === '') writes = 'still accepted (no save points configured, so stop-writes-on-bgsave-error does not apply): data written now is not on disk'
    else if (stop.value === 'yes') writes = 'refused with MISCONF (stop-writes-on-bgsave-error yes)'
    else if (stop.value === 'no') writes = 'still accepted (stop-writes-on-bgsave-error no): data written now is not on disk'
    else writes = `unknown: stop-writes-on-bgsave-error could not be read (${stop.refused})`
    if (rdb === 'err' || aofWrite === 'err') evidence.push({ label: 'writes', observed: writes, expected: 'accepted and saved' })
    if (misconfCount) evidence.push({ label: 'commands refused with MISCONF since start', observed: misconfCount, expected: '0' })

    const what = [rdb === 'err' ? 'the last RDB save failed' : '', aofOn && aofWrite === 'err' ? 'AOF writes fail' : '', aofOn && aofRewrite === 'err' ? 'the last AOF rewrite failed' : '']
      .filter(Boolean)
      .join(', ')
    ctx.finding('redis.persistence-failing', {
      severity: 'critical',
      title: `Redis cannot save to disk: ${what}${/^refused/.test(writes) ? ' (writes refused: MISCONF)' : ''}`,
      evidence,
      commands: commandsOf(meta.findings['redis.persistence-failing'].commands, ctx),
    })
  },
})
