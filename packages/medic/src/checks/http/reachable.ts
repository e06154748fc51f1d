/**
 * http.reachable: can medic get an HTTP answer at all? Tells apart a refused connection, a name that
 * does not resolve, a failed TLS handshake and a silent port (timeout), because each has its own fix.
 */
import { defineCheck } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { curlTlsFlags, describeTimings, healthUrls, isConnectionFailure, probeAll, shq, targetOptions, type FailureKind, type ProbeResult } from './probe.js'

const EXPECTED = 'an HTTP response'

/** What each failure means and what to do about it. Data, not branches. */
const KINDS: Record<FailureKind, { title: (host: string, p: ProbeResult) => string; observed: (p: ProbeResult, host: string) => string; fix: string }> = {
  refused: {
    title: (host) => `${host} refused the connection: nothing listens there`,
    observed: (p, host) => `connection refused by ${host} (${p.failure?.code ?? 'ECONNREFUSED'})`,
    fix: 'Start the service (or fix its port): check that the process runs and listens on this address and port (ss -ltnp), and that a proxy or container port mapping points at it.',
  },
  dns: {
    title: (host) => `host name ${host.replace(/:\d+$/, '')} does not resolve`,
    observed: (p, host) => `DNS lookup of ${host.replace(/:\d+$/, '')} failed (${p.failure?.code ?? 'ENOTFOUND'})`,
    fix: 'Fix the host name in the URL, or make it resolvable from here (DNS record, /etc/hosts, the compose service name when running inside the compose network).',
  },
  tls: {
    title: (host) => `TLS handshake with ${host} failed`,
    observed: (p) => `TLS handshake failed: ${p.failure?.message ?? 'unknown reason'}${p.failure?.code && !p.failure.message.includes(p.failure.code) ? ` (${p.failure.code})` : ''}`,
    fix: 'Fix the server certificate (the tls.* findings for this target say exactly what is wrong: expired, wrong host name, untrusted or incomplete chain), or trust a private CA with `ca: <file.pem>` on the target; `insecure: true` only for a test box. If the port serves plain HTTP, use an http:// URL.',
  },
  timeout: {
    title: (host, p) => (p.failure?.phase === 'response' ? `${host} accepted the connection but did not answer ${p.path}` : `${host} did not answer in time`),
    observed: (p) => `timed out: ${p.failure?.message ?? 'no answer'}`,
    fix: 'A port that accepts TCP and never answers is a hung process (event loop blocked, all workers busy, deadlocked) or a firewall dropping packets: look at the service\'s CPU and logs, its thread/worker pool and its own dependencies; restart it if it is wedged.',
  },
  reset: {
    title: (host) => `${host} closed the connection without answering`,
    observed: (p) => `connection reset (${p.failure?.code ?? 'ECONNRESET'}): ${p.failure?.message ?? ''}`,
    fix: 'The process accepted the connection then dropped it: it may be crashing per request, be out of workers, or the port serves another protocol (TLS vs plain). Read the service logs at the same moment.',
  },
  network: {
    title: (host) => `no network route to ${host}`,
    observed: (p) => `network unreachable (${p.failure?.code ?? ''}): ${p.failure?.message ?? ''}`,
    fix: 'The host is down or not routable from here: check the address, the VPN/VPC route and firewall rules.',
  },
  protocol: {
    title: (host) => `${host} does not speak HTTP`,
    observed: (p) => `the answer is not HTTP (${p.failure?.code ?? ''}): ${p.failure?.message ?? ''}`,
    fix: 'Another service holds this port (a database, a TLS-only port): check the port in the URL and which process listens on it (ss -ltnp).',
  },
  config: {
    title: () => `medic could not set up the request`,
    observed: (p) => p.failure?.message ?? 'bad target settings',
    fix: 'Fix the target settings in medic.yaml (the CA file path must be readable PEM).',
  },
  other: {
    title: (host) => `request to ${host} failed`,
    observed: (p) => `${p.failure?.code ?? 'error'}: ${p.failure?.message ?? ''}`,
    fix: 'Read the error above; try the curl command to see the same failure by hand.',
  },
}

export default defineCheck({
  meta: {
    id: 'http.reachable',
    title: 'HTTP endpoint answers',
    targets: ['http'],
    description:
      'GETs each health path (or the base URL) once with a fresh connection and reports when no HTTP answer comes back: connection refused, DNS failure, TLS handshake failure or timeout, told apart, with the phases that did complete.',
    defaults: {},
    timeoutMs: 30_000,
    findings: {
      'http.unreachable': {
        title: 'HTTP endpoint unreachable',
        fix: 'Make the service reachable at the configured URL.',
        commands: [],
      },
    },
  },
  async run(ctx) {
    const urls = healthUrls(ctx.target)
    const probes = await probeAll(ctx, urls)
    const failed = probes.filter(isConnectionFailure)
    const answered = probes.filter((p) => p.ok)
    ctx.observe('http.reachable', failed.length === 0)
    ctx.observe('http.failure', failed[0]?.failure?.kind ?? null)
    if (failed.length === 0) {
      for (const p of answered) ctx.ok({ label: `GET ${p.path}`, observed: `HTTP ${p.status} in ${p.timings.totalMs} ms`, expected: EXPECTED })
      return
    }
    const base = new URL(targetOptions(ctx.target).url)
    const host = base.port ? `${base.hostname}:${base.port}` : base.hostname
    const isHttps = base.protocol === 'https:'
    const first = failed[0]
    const kind = KINDS[first.failure!.kind]
    const evidence: Evidence[] = failed.map((p) => ({ label: `GET ${p.url}`, observed: KINDS[p.failure!.kind].observed(p, host), expected: EXPECTED }))
    evidence.push({ label: 'phases completed', observed: `${describeTimings(first.timings, isHttps)} (stopped at: ${first.failure!.phase})` })
    for (const p of answered) evidence.push({ label: `GET ${p.path}`, observed: `HTTP ${p.status} (this path answers)` })
    ctx.finding('http.unreachable', {
      severity: 'critical',
      title: kind.title(host, first),
      evidence,
      fix: kind.fix,
      commands: commandsFor(first, base, ctx.target),
    })
  },
})

function commandsFor(p: ProbeResult, base: URL, target: Parameters<typeof curlTlsFlags>[0]): string[] {
  const port = base.port || (base.protocol === 'https:' ? '443' : '80')
  const curl = `curl -sS -v --max-time 5 ${curlTlsFlags(target)} ${shq(p.url)}`.replace(/ +/g, ' ')
  switch (p.failure?.kind) {
    case 'dns':
      return [`getent hosts ${base.hostname}`, curl]
    case 'refused':
      return [`ss -ltnp 'sport = :${port}'`, curl]
    case 'tls':
      return [`openssl s_client -connect ${base.hostname}:${port} -servername ${base.hostname} </dev/null`, curl]
    default:
      return [curl]
  }
}
