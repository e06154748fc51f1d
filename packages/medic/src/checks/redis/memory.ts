/**
 * redis.memory: used memory against maxmemory and the eviction policy. At the limit under
 * `noeviction` (or a volatile-* policy with no key that has a TTL) Redis refuses writes with
 * "OOM command not allowed": that is redis.oom. Close to the limit is redis.memory-near-limit.
 * A high RSS/used ratio on a non-trivial dataset is redis.fragmentation.
 */
import { defineCheck } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { bytes, commandsOf, fmtPct, num, pct, requireInfo, requireSession } from './session.js'

const meta = {
  id: 'redis.memory',
  title: 'Redis memory is within maxmemory',
  targets: ['redis' as const],
  description:
    'Reads INFO memory: used_memory against maxmemory and maxmemory_policy (OOM under noeviction, near the limit), and mem_fragmentation_ratio when the dataset is large enough for it to mean something.',
  defaults: { nearLimitPct: 90, fragmentationRatio: 1.5, fragmentationMinBytes: 10 * 1024 * 1024 },
  findings: {
    'redis.oom': {
      title: 'Redis is out of memory: writes are refused (OOM)',
      fix: 'Writes fail with "OOM command not allowed when used memory > maxmemory". Free memory now (delete or expire keys the app no longer needs), raise maxmemory if the host has room, or, for a cache, switch to an evicting policy: CONFIG SET maxmemory-policy allkeys-lru (and persist it in redis.conf).',
      commands: ['{cli} INFO memory', '{cli} MEMORY DOCTOR', '{cli} --bigkeys'],
    },
    'redis.memory-near-limit': {
      title: 'Redis memory is close to maxmemory',
      fix: 'Find what grows (redis-cli --bigkeys / --memkeys, keys without TTL), set TTLs on cache keys, raise maxmemory, or, for a pure cache, make sure an evicting policy (allkeys-lru) is set so the limit is handled by eviction.',
      commands: ['{cli} INFO memory', '{cli} INFO keyspace', '{cli} --bigkeys'],
    },
    'redis.fragmentation': {
      title: 'Redis memory is fragmented',
      fix: 'RSS is much larger than the data: turn on active defragmentation (CONFIG SET activedefrag yes, jemalloc builds) or restart the instance in a quiet window (replica first); MEMORY DOCTOR explains the numbers.',
      commands: ['{cli} INFO memory', '{cli} MEMORY DOCTOR'],
    },
  },
}

export default defineCheck({
  meta,
  async run(ctx, { nearLimitPct, fragmentationRatio, fragmentationMinBytes }) {
    const s = await requireSession(ctx)
    const { info } = await requireInfo(ctx, s, 'used memory, maxmemory and the eviction policy')
    const used = num(info, 'used_memory') ?? 0
    const max = num(info, 'maxmemory') ?? 0
    const policy = info.maxmemory_policy ?? 'unknown'
    // Redis leaves replication and AOF buffers out when it compares with maxmemory.
    const counted = used - (num(info, 'mem_not_counted_for_evict') ?? 0)
    const usedPct = max > 0 ? pct(counted, max) : null
    const frag = num(info, 'mem_fragmentation_ratio')
    const rss = num(info, 'used_memory_rss')
    const oomErrors = num(parseErrorstat(info.errorstat_OOM), 'count')
    const keys = keyspaceTotals(info)

    ctx.observe('redis.memoryUsedBytes', used)
    ctx.observe('redis.maxmemoryBytes', max)
    ctx.observe('redis.memoryUsedPct', usedPct === null ? null : Math.round(usedPct * 10) / 10)
    ctx.observe('redis.policy', policy)
    if (frag !== undefined) ctx.observe('redis.fragmentationRatio', frag)

    const usage: Evidence =
      max > 0
        ? { label: 'memory', observed: `used_memory ${bytes(counted)} of maxmemory ${bytes(max)} (${fmtPct(usedPct!)}), policy ${policy}`, expected: `< ${nearLimitPct} % of maxmemory` }
        : { label: 'memory', observed: `used_memory ${bytes(used)}, no maxmemory set (policy ${policy}): bounded only by the host's RAM` }
    const evidence: Evidence[] = [usage]
    if (oomErrors !== undefined) evidence.push({ label: 'writes refused with OOM since start', observed: String(oomErrors), expected: '0' })

    // Under these policies nothing can be evicted, so reaching the limit means refused writes.
    const cannotEvict = policy === 'noeviction' || (policy.startsWith('volatile-') && keys.expires === 0)
    const atLimit = max > 0 && counted >= max
    ctx.observe('redis.oom', atLimit && cannotEvict)
    const cmds = (id: keyof typeof meta.findings) => commandsOf(meta.findings[id].commands, ctx)

    if (atLimit && cannotEvict) {
      const why = policy === 'noeviction' ? 'policy noeviction' : `policy ${policy} but no key has a TTL (${keys.keys} keys, 0 with expire)`
      ctx.finding('redis.oom', {
        severity: 'critical',
        title: `Redis is at maxmemory with ${why}: writes are refused (OOM)`,
        evidence: [...evidence, { label: 'eviction', observed: `${why}: nothing can be evicted`, expected: 'room below maxmemory, or an evicting policy (allkeys-lru) for a cache' }],
        commands: cmds('redis.oom'),
      })
    } else if (usedPct !== null && usedPct >= nearLimitPct) {
      ctx.finding('redis.memory-near-limit', {
        severity: 'warning',
        title: `Redis uses ${fmtPct(usedPct)} of maxmemory`,
        evidence: [...evidence, { label: 'keys', observed: `${keys.keys} keys, ${keys.expires} with a TTL` }],
        fix: cannotEvict
          ? `With policy ${policy} nothing can be evicted: once maxmemory is reached every write fails with OOM. ${meta.findings['redis.memory-near-limit'].fix}`
          : `Policy ${policy} evicts keys at the limit, which is normal for a cache but loses data otherwise (see redis.evictions). ${meta.findings['redis.memory-near-limit'].fix}`,
        commands: cmds('redis.memory-near-limit'),
      })
    }

    if (frag !== undefined && frag > fragmentationRatio && used > fragmentationMinBytes) {
      ctx.finding('redis.fragmentation', {
        severity: 'warning',
        title: `Redis memory fragmentation ratio is ${frag}`,
        evidence: [
          {
            label: 'fragmentation',
            observed: `mem_fragmentation_ratio ${frag} (used_memory_rss ${rss === undefined ? '?' : bytes(rss)} for used_memory ${bytes(used)})`,
            expected: `≤ ${fragmentationRatio} when more than ${bytes(fragmentationMinBytes)} is used`,
          },
        ],
        commands: cmds('redis.fragmentation'),
      })
    } else if (frag !== undefined) {
      evidence.push({ label: 'fragmentation', observed: `mem_fragmentation_ratio ${frag} with used_memory ${bytes(used)}`, expected: `≤ ${fragmentationRatio} (or < ${bytes(fragmentationMinBytes)} used)` })
    }
    ctx.ok(...evidence)
  },
})

/** `count=3` (errorstat values) -> { count: '3' }. */
export function parseErrorstat(v: string | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of (v ?? '').split(',')) {
    const i = part.indexOf('=')
    if (i > 0) out[part.slice(0, i)] = part.slice(i + 1)
  }
  return out
}

/** Sum `db0:keys=1,expires=0,avg_ttl=0` lines of INFO keyspace. */
export function keyspaceTotals(info: Record<string, string>): { keys: number; expires: number } {
  let keys = 0
  let expires = 0
  for (const [k, v] of Object.entries(info)) {
    if (!/^db\d+$/.test(k)) continue
    const f = parseErrorstat(v)
    keys += Number(f.keys ?? 0)
    expires += Number(f.expires ?? 0)
  }
  return { keys, expires }
}
