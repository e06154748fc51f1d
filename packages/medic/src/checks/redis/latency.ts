/**
 * redis.latency: round trip of several PINGs in a row (median and max), plus what the server's
 * own latency monitor recorded (LATENCY LATEST) — or, when latency-monitor-threshold is 0, how to
 * turn it on, instead of pretending there is no latency data.
 */
import { defineCheck } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { commandsOf, getConfig, requireSession, withSignal } from './session.js'

const meta = {
  id: 'redis.latency',
  title: 'Redis answers quickly',
  targets: ['redis' as const],
  description:
    'Sends `samples` PINGs one after another and reports the median and maximum round trip; adds the latest spikes from the latency monitor when it is enabled.',
  defaults: { samples: 5, warningMs: 10, criticalMs: 100 },
  findings: {
    'redis.latency': {
      title: 'Redis is slow to answer',
      fix: 'Look for slow commands (SLOWLOG GET 10: KEYS, big SMEMBERS/HGETALL, Lua scripts), a saturated CPU, swapping (INFO memory, vmstat) or fork pauses during saves (INFO stats latest_fork_usec); from a distant host, compare with --latency run on the Redis box itself.',
      commands: ['{cli} --latency -i 1', '{cli} LATENCY LATEST', '{cli} SLOWLOG GET 10', '{cli} INFO stats'],
    },
  },
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`

export default defineCheck({
  meta,
  async run(ctx, { samples, warningMs, criticalMs }) {
    const s = await requireSession(ctx)
    const rtts: number[] = []
    for (let i = 0; i < Math.max(1, samples); i++) {
      const t0 = performance.now()
      try {
        await withSignal(s.client.ping(), ctx.signal)
      } catch (err) {
        // MISCONF/NOPERM replies are still a full round trip; anything else is a real failure.
        if (!/^MISCONF|^NOPERM/.test((err as Error).message)) throw err
      }
      rtts.push(performance.now() - t0)
    }
    const med = median(rtts)
    const max = Math.max(...rtts)
    ctx.observe('redis.latencyMedianMs', Math.round(med * 100) / 100)
    ctx.observe('redis.latencyMaxMs', Math.round(max * 100) / 100)

    const evidence: Evidence[] = [
      { label: 'PING round trip', observed: `median ${ms(med)}, max ${ms(max)} over ${rtts.length} samples (${rtts.map((r) => r.toFixed(2)).join(', ')} ms)`, expected: `median ≤ ${warningMs} ms` },
    ]

    // The server's own view: spikes it recorded, or why there are none.
    const threshold = await getConfig(ctx, s, 'latency-monitor-threshold')
    if (threshold.value === '0') {
      ctx.observe('redis.latencyMonitorEnabled', false)
      evidence.push({
        label: 'latency monitor',
        observed: 'off (latency-monitor-threshold 0): the server records no latency spikes',
        expected: 'on: CONFIG SET latency-monitor-threshold 100, then LATENCY LATEST / LATENCY DOCTOR',
      })
    } else {
      if (threshold.value !== undefined) ctx.observe('redis.latencyMonitorEnabled', true)
      try {
        const latest = (await withSignal(s.client.call('LATENCY', 'LATEST'), ctx.signal)) as [string, number, number, number][]
        const events = latest.map(([event, at, last, worst]) => `${event} ${last} ms (worst ${worst} ms, at ${new Date(Number(at) * 1000).toISOString()})`)
        evidence.push({
          label: 'latency monitor',
          observed: events.length
            ? events.join('; ')
            : threshold.value !== undefined
              ? `on (threshold ${threshold.value} ms), no spike recorded`
              : `no spike recorded, but latency-monitor-threshold is unknown (CONFIG GET refused: ${threshold.refused}): if it is 0 the monitor is off (CONFIG SET latency-monitor-threshold 100 turns it on)`,
        })
      } catch (err) {
        evidence.push({ label: 'latency monitor', observed: `unknown (LATENCY LATEST refused: ${(err as Error).message.split('\n')[0]})${threshold.refused ? '; latency-monitor-threshold unknown (CONFIG GET refused)' : ''}` })
      }
    }

    if (med > warningMs) {
      ctx.finding('redis.latency', {
        severity: med > criticalMs ? 'critical' : 'warning',
        title: `Redis PING takes ${ms(med)} (median)`,
        evidence,
        commands: commandsOf(meta.findings['redis.latency'].commands, ctx),
      })
      return
    }
    ctx.ok(...evidence)
  },
})
