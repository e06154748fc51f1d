/**
 * redis.evictions: is Redis throwing keys away right now? evicted_keys is read twice, `windowMs`
 * apart (the window is shared with redis.clients, so the run waits once). A rise is a warning;
 * evictions only in the past (since start) are info.
 */
import { defineCheck } from '../../engine/check.js'
import { bytes, commandsOf, getWindow, num, requireInfo, requireSession } from './session.js'

const meta = {
  id: 'redis.evictions',
  title: 'Redis is not evicting keys',
  targets: ['redis' as const],
  description: 'Compares evicted_keys at the start and end of a short window (windowMs); reports evictions since start as info.',
  defaults: { windowMs: 500 },
  findings: {
    'redis.evictions': {
      title: 'Redis is evicting keys',
      fix: 'Redis drops keys to stay under maxmemory: fine for a pure cache, data loss for sessions, queues or locks. Raise maxmemory, set TTLs so stale keys go first, or move durable data to an instance with noeviction.',
      commands: ['{cli} INFO stats', '{cli} INFO memory', '{cli} --bigkeys'],
    },
  },
}

export default defineCheck({
  meta,
  async run(ctx, { windowMs }) {
    const s = await requireSession(ctx)
    await requireInfo(ctx, s, 'evicted_keys')
    const { before, after } = await getWindow(ctx, s, windowMs)
    const e0 = num(before.info, 'evicted_keys') ?? 0
    const e1 = num(after.info, 'evicted_keys') ?? 0
    const seconds = (after.at - before.at) / 1000
    const rise = e1 - e0
    ctx.observe('redis.evictedKeys', e1)
    ctx.observe('redis.evictionsInWindow', rise)
    const policy = after.info.maxmemory_policy ?? '?'
    const max = num(after.info, 'maxmemory') ?? 0
    const used = num(after.info, 'used_memory') ?? 0
    const context = { label: 'memory', observed: `used_memory ${bytes(used)} of maxmemory ${max ? bytes(max) : 'unset'}, policy ${policy}` }
    const commands = commandsOf(meta.findings['redis.evictions'].commands, ctx)
    if (rise > 0) {
      ctx.finding('redis.evictions', {
        severity: 'warning',
        title: `Redis evicted ${rise} keys in ${seconds.toFixed(1)} s`,
        evidence: [
          { label: 'evicted_keys', observed: `${e0} → ${e1} (+${rise} in ${seconds.toFixed(1)} s, ${Math.round(rise / Math.max(seconds, 0.001))}/s)`, expected: 'no rise' },
          context,
        ],
        commands,
      })
      return
    }
    if (e1 > 0) {
      ctx.finding('redis.evictions', {
        severity: 'info',
        title: `Redis evicted ${e1} keys since it started (none during the check)`,
        evidence: [{ label: 'evicted_keys', observed: `${e1} since start, +0 in ${seconds.toFixed(1)} s`, expected: '0' }, context],
        commands,
      })
      return
    }
    ctx.ok({ label: 'evicted_keys', observed: `0 since start (watched ${seconds.toFixed(1)} s)` })
  },
})
