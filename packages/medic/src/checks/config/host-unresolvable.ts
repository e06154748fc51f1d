/**
 * config.hosts: every host named by a URL/DSN variable or a *_HOST variable resolves (dns.lookup,
 * i.e. /etc/hosts then DNS, exactly as the app's driver will). With a compose file, the evidence
 * lists its services so `DB_HOST=db` next to a service called `mysql` is obvious.
 */
import { lookup } from 'node:dns/promises'
import { defineCheck } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { appEnvironment, observeEnvironment, shortPath, whereSet, type ComposeFile } from './environment.js'
import { hostsOf } from './urls.js'

type Resolution = { ok: true; address: string } | { ok: false; reason: string }

async function resolveHost(host: string, timeoutMs: number, signal: AbortSignal): Promise<Resolution> {
  let timer: NodeJS.Timeout | undefined
  let onAbort: (() => void) | undefined
  // dns.lookup takes no signal: race it against the deadline so a dead resolver cannot hang us.
  const stop = new Promise<Resolution>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `no answer within ${timeoutMs} ms` }), timeoutMs)
    onAbort = () => resolve({ ok: false, reason: 'check deadline passed before an answer' })
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([
      lookup(host).then(
        (r): Resolution => ({ ok: true, address: r.address }),
        (err: NodeJS.ErrnoException): Resolution => ({
          ok: false,
          reason: err.code === 'ENOTFOUND' ? 'ENOTFOUND (no such host)' : err.code === 'EAI_AGAIN' ? 'EAI_AGAIN (temporary DNS failure)' : (err.code ?? err.message),
        }),
      ),
      stop,
    ])
  } finally {
    clearTimeout(timer)
    if (onAbort) signal.removeEventListener('abort', onAbort)
  }
}

/** Compose evidence and a pointed hint: is the host a service (only resolvable inside the network)? */
function composeEvidence(host: string, compose: ComposeFile, base: string): { evidence: Evidence; hint: string; service?: string } {
  const file = shortPath(compose.path, base)
  const names = compose.services.length ? compose.services.join(', ') : compose.error ? `unreadable: ${compose.error}` : 'none'
  const evidence: Evidence = { label: `compose services (${file})`, observed: names, expected: `one of them named ${host}` }
  const service = compose.services.includes(host) ? host : compose.aliases[host]
  if (service) {
    return {
      service,
      evidence: { ...evidence, expected: undefined },
      hint: `${host} is ${service === host ? 'a service' : `an alias of service ${service}`} in ${file}: the name resolves only inside the compose network. Run the app inside compose (docker compose up), or use 127.0.0.1 with the published port when running it on the host.`,
    }
  }
  return { evidence, hint: compose.services.length ? `No compose service is named ${host}: set the variable to one of ${names} (the service name is the host name inside the compose network).` : '' }
}

export default defineCheck({
  meta: {
    id: 'config.hosts',
    title: 'Hosts in the configuration resolve',
    targets: ['env'],
    description:
      'Resolves every host named by a URL/DSN variable or a *_HOST variable with dns.lookup (as the app will). IP literals are not looked up. When a compose file is beside the .env (or env.compose names one), the evidence lists its service names.',
    defaults: { lookupTimeoutMs: 2000 },
    timeoutMs: 4000,
    findings: {
      'config.host-unresolvable': {
        title: 'A configured host does not resolve',
        fix: 'Correct the host name in the variable (with docker compose: the service name), or add the name to DNS or /etc/hosts.',
        commands: ['getent hosts {host}', 'docker compose config --services'],
      },
    },
  },
  async run(ctx, opts) {
    const env = await appEnvironment(ctx)
    observeEnvironment(ctx, env)
    const refs = hostsOf(env)
    if (refs.length === 0) ctx.skip('no host names in URL/DSN or *_HOST variables (IP addresses are not looked up)')
    const hosts = [...new Set(refs.map((r) => r.host))]
    const timeout = Math.max(100, Math.min(opts.lookupTimeoutMs, ctx.remainingMs() - 200))
    const results = new Map<string, Resolution>(await Promise.all(hosts.map(async (h) => [h, await resolveHost(h, timeout, ctx.signal)] as const)))
    let bad = 0
    const okEvidence: Evidence[] = []
    for (const host of hosts) {
      const r = results.get(host)!
      const vars = refs.filter((x) => x.host === host)
      if (r.ok) {
        okEvidence.push({ label: host, observed: `${r.address} (${vars.map((v) => v.variable).join(', ')})` })
        continue
      }
      bad++
      const evidence: Evidence[] = vars.map((v) => ({ label: v.variable, observed: `host ${host}${v.port ? ` port ${v.port}` : ''} (${whereSet(env, v.variable)})` }))
      evidence.push({ label: `lookup ${host}`, observed: r.reason, expected: 'an address' })
      let fix: string | undefined
      let service: string | undefined
      if (env.compose) {
        const c = composeEvidence(host, env.compose, env.base)
        evidence.push(c.evidence)
        if (c.hint) fix = c.hint
        service = c.service
      }
      // A compose service name is right for an app inside compose and unresolvable from the host
      // medic may run on: a warning, not a certain start-up failure.
      ctx.finding('config.host-unresolvable', {
        severity: service ? 'warning' : 'critical',
        title: `${vars.map((v) => v.variable).join(', ')}: host ${host} does not resolve${service ? ' here (a compose service name: it resolves only inside the compose network)' : ''}`,
        evidence,
        ...(fix ? { fix } : {}),
        commands: [`getent hosts ${host}`, ...(env.compose ? [`docker compose -f ${shortPath(env.compose.path, env.base)} config --services`] : [])],
      })
    }
    ctx.observe('config.hosts.checked', hosts.length)
    ctx.observe('config.hosts.unresolvable', bad)
    if (bad === 0) ctx.ok(...okEvidence)
  },
})
