/**
 * redis.slowlog: commands that took longer than `thresholdMs` in the last `sinceMinutes`, from
 * SLOWLOG GET. Arguments are never shown (they hold keys, values, passwords): only the command
 * name and how many arguments it had. medic's own commands are left out.
 */
import { defineCheck } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { commandsOf, getConfig, getInfo, requireSession, withSignal } from './session.js'

const meta = {
  id: 'redis.slowlog',
  title: 'No slow Redis commands',
  targets: ['redis' as const],
  description:
    'Reads the last `entries` SLOWLOG entries and reports those slower than thresholdMs within sinceMinutes, by command name and argument count (arguments redacted). Says when slowlog-log-slower-than hides such entries.',
  defaults: { thresholdMs: 10, sinceMinutes: 15, entries: 128, show: 5 },
  findings: {
    'redis.slowlog': {
      title: 'Slow Redis commands',
      fix: 'Redis runs one command at a time, so one slow command stalls every client. Replace KEYS with SCAN, avoid whole-collection reads on big keys (HGETALL/SMEMBERS/LRANGE 0 -1 on large values; use HSCAN/SSCAN or smaller keys), keep Lua scripts short, and use UNLINK instead of DEL for big keys.',
      commands: ['{cli} SLOWLOG GET 10', '{cli} SLOWLOG LEN', '{cli} --bigkeys'],
    },
  },
}

type Entry = [number, number, number, string[], string?, string?]

/** The argument count Redis saw: the slowlog keeps at most 32 and says how many more there were. */
export function argCount(args: string[]): number {
  const last = args[args.length - 1] ?? ''
  const more = /^\.\.\. \((\d+) more arguments?\)$/.exec(last)
  return more ? args.length - 1 + Number(more[1]) - 1 : args.length - 1
}

export default defineCheck({
  meta,
  async run(ctx, { thresholdMs, sinceMinutes, entries, show }) {
    const s = await requireSession(ctx)
    let raw: Entry[]
    try {
      raw = (await withSignal(s.client.call('SLOWLOG', 'GET', String(entries)), ctx.signal)) as Entry[]
    } catch (err) {
      const msg = (err as Error).message.split('\n')[0]
      if (/^NOPERM|unknown command/i.test(msg)) ctx.skip(`SLOWLOG GET refused for Redis user "${s.user}" (${msg}): slow commands unknown`)
      throw err
    }
    // Slowlog times are the server's clock: use it when INFO tells it (Redis 6.2+), else ours.
    const serverUsec = await getInfo(ctx, s).then((i) => Number(i.info.server_time_usec) || undefined, () => undefined)
    const since = (serverUsec ? serverUsec / 1e6 : ctx.now() / 1000) - sinceMinutes * 60
    const slow = raw
      .filter(([, at, micros, , , name]) => micros > thresholdMs * 1000 && at >= since && name !== 'medic')
      .map(([, at, micros, args, addr]) => ({ at, micros, name: String(args[0] ?? '?').toUpperCase(), argc: argCount(args), addr }))
      .sort((a, b) => b.micros - a.micros)
    ctx.observe('redis.slowlogEntries', slow.length)

    const evidence: Evidence[] = []
    const cfg = await getConfig(ctx, s, 'slowlog-log-slower-than')
    const logged = cfg.value === undefined ? undefined : Number(cfg.value)
    if (logged !== undefined && logged < 0) evidence.push({ label: 'slowlog', observed: 'disabled (slowlog-log-slower-than < 0): slow commands are not recorded', expected: `≤ ${thresholdMs * 1000} µs` })
    else if (logged !== undefined && logged > thresholdMs * 1000)
      evidence.push({ label: 'slowlog', observed: `records only commands slower than ${logged / 1000} ms (slowlog-log-slower-than ${logged}): entries between ${thresholdMs} and ${logged / 1000} ms are not seen`, expected: `≤ ${thresholdMs * 1000} µs` })
    else if (cfg.refused) evidence.push({ label: 'slowlog', observed: `slowlog-log-slower-than unknown (CONFIG GET refused: ${cfg.refused})` })

    if (slow.length === 0) {
      ctx.ok({ label: 'slow commands', observed: `none slower than ${thresholdMs} ms in the last ${sinceMinutes} min (${raw.length} entries read)` }, ...evidence)
      return
    }
    // Summaries by command name make a flood of one command readable.
    const byName = new Map<string, number>()
    for (const e of [...slow].sort((a, b) => a.name.localeCompare(b.name))) byName.set(e.name, (byName.get(e.name) ?? 0) + 1)
    const names = [...byName].sort((a, b) => b[1] - a[1])
    const worst = slow.slice(0, show).map(
      (e) => `${e.name} (${e.argc} arg${e.argc === 1 ? '' : 's'}, redacted) ${(e.micros / 1000).toFixed(1)} ms at ${new Date(e.at * 1000).toISOString()}${e.addr ? ` from ${e.addr}` : ''}`,
    )
    ctx.finding('redis.slowlog', {
      severity: 'warning',
      title: `${slow.length} Redis command${slow.length > 1 ? 's' : ''} slower than ${thresholdMs} ms in the last ${sinceMinutes} min (${names.map(([n]) => n).join(', ')})`,
      evidence: [
        { label: 'slow commands', observed: names.map(([n, c]) => `${n} ×${c}`).join(', '), expected: `none slower than ${thresholdMs} ms` },
        { label: 'slowest', observed: worst.join('; ') },
        ...evidence,
      ],
      commands: commandsOf(meta.findings['redis.slowlog'].commands, ctx),
    })
  },
})
