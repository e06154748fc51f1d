/**
 * redis.clients: connections refused (rejected_connections, or connected_clients close to
 * maxclients) and clients stuck in blocking commands (BLPOP, BRPOP, XREAD BLOCK, WAIT...) for the
 * whole observation window, which is shared with redis.evictions.
 */
import { defineCheck } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { commandsOf, fmtPct, getConfig, getWindow, num, pct, requireInfo, requireSession } from './session.js'

const meta = {
  id: 'redis.clients',
  title: 'Redis accepts clients and none is stuck',
  targets: ['redis' as const],
  description:
    'Reads INFO clients and stats: rejected_connections since start, connected_clients against maxclients, and blocked_clients at the start and end of a short window (windowMs).',
  defaults: { maxclientsPct: 90, windowMs: 500 },
  findings: {
    'redis.clients-rejected': {
      title: 'Redis refuses connections (maxclients)',
      fix: 'Find who holds the connections (CLIENT LIST: many from one addr or name means a leak or an oversized pool), fix the pool size or the leak, close idle ones (CONFIG SET timeout 300 / CLIENT KILL), or raise maxclients together with the open-files limit (ulimit -n).',
      commands: ['{cli} INFO clients', '{cli} INFO stats', '{cli} CLIENT LIST'],
    },
    'redis.clients-blocked': {
      title: 'Redis clients are blocked',
      fix: 'Clients wait in BLPOP/BRPOP/BLMOVE/XREAD BLOCK/WAIT: normal for queue workers, a problem when the producer stopped, the key name differs between producer and consumer, or a request path blocks without a timeout. CLIENT LIST shows them with flags=b and the command; check the producer and give blocking calls a timeout.',
      commands: ['{cli} INFO clients', '{cli} CLIENT LIST'],
    },
  },
}

export default defineCheck({
  meta,
  async run(ctx, { maxclientsPct, windowMs }) {
    const s = await requireSession(ctx)
    const { info } = await requireInfo(ctx, s, 'connected, rejected and blocked clients')
    const connected = num(info, 'connected_clients') ?? 0
    const rejected = num(info, 'rejected_connections') ?? 0
    // Redis 7 lists maxclients in INFO; Redis 6 needs CONFIG GET.
    let maxclients = num(info, 'maxclients')
    let maxUnknown: string | undefined
    if (maxclients === undefined) {
      const c = await getConfig(ctx, s, 'maxclients')
      if (c.value !== undefined) maxclients = Number(c.value)
      else maxUnknown = c.refused
    }
    const usedPct = maxclients ? pct(connected, maxclients) : null
    ctx.observe('redis.connectedClients', connected)
    ctx.observe('redis.maxclients', maxclients ?? null)
    ctx.observe('redis.clientsUsedPct', usedPct === null ? null : Math.round(usedPct * 10) / 10)
    ctx.observe('redis.rejectedConnections', rejected)

    const slots: Evidence = maxclients
      ? { label: 'clients', observed: `connected_clients ${connected} of maxclients ${maxclients} (${fmtPct(usedPct!)}, medic's own included)`, expected: `< ${maxclientsPct} %` }
      : { label: 'clients', observed: `connected_clients ${connected}; maxclients unknown (${maxUnknown ?? 'not reported'})` }
    const rejections: Evidence = { label: 'rejected_connections', observed: `${rejected} since start (uptime ${info.uptime_in_seconds ?? '?'} s)`, expected: '0' }
    const okEvidence: Evidence[] = [slots, rejections]
    const cmds = (id: keyof typeof meta.findings) => commandsOf(meta.findings[id].commands, ctx)

    if (rejected > 0 || (usedPct !== null && usedPct >= maxclientsPct)) {
      ctx.finding('redis.clients-rejected', {
        severity: 'critical',
        title: rejected > 0 ? `Redis refused ${rejected} connections (maxclients ${maxclients ?? '?'})` : `Redis is at ${fmtPct(usedPct!)} of maxclients`,
        evidence: [slots, rejections],
        commands: cmds('redis.clients-rejected'),
      })
    }

    // Blocked clients: only a problem when they stay blocked across the window.
    const { before, after } = await getWindow(ctx, s, windowMs)
    const b0 = num(before.info, 'blocked_clients') ?? 0
    const b1 = num(after.info, 'blocked_clients') ?? 0
    const seconds = ((after.at - before.at) / 1000).toFixed(1)
    ctx.observe('redis.blockedClients', b1)
    const blocked: Evidence = { label: 'blocked_clients', observed: `${b0} at start, ${b1} after ${seconds} s`, expected: '0 (or not for long)' }
    if (b0 > 0 && b1 > 0) {
      ctx.finding('redis.clients-blocked', {
        severity: 'warning',
        title: `${Math.min(b0, b1)} Redis client${Math.min(b0, b1) > 1 ? 's' : ''} blocked for the whole ${seconds} s window`,
        evidence: [blocked, { label: 'clients', observed: `connected_clients ${connected}` }],
        commands: cmds('redis.clients-blocked'),
      })
    } else okEvidence.push(blocked)
    ctx.ok(...okEvidence)
  },
})
