/**
 * config.port: the port the app is configured to listen on (PORT, or env.portVariable) is free.
 * We try to bind it on 0.0.0.0 and 127.0.0.1 (and close at once); EADDRINUSE means another process
 * holds it, and /proc/net/tcp{,6} + /proc/<pid>/fd tell which one when we may see it.
 * Run this before starting the app: while the app itself runs, its own port is of course taken.
 */
import { createServer } from 'node:net'
import { defineCheck } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { appEnvironment, observeEnvironment, whereSet } from './environment.js'
import { listeningInodes, socketHolders } from '../../system/proc.js'

type BindResult = 'free' | 'in-use' | { other: string }

function tryBind(port: number, host: string): Promise<BindResult> {
  return new Promise((resolve) => {
    const srv = createServer()
    srv.unref()
    srv.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE' ? 'in-use' : { other: err.code ?? err.message }))
    // exclusive: a cluster primary must not hand us a shared handle.
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve('free')))
  })
}

export default defineCheck({
  meta: {
    id: 'config.port',
    title: 'The app port is free',
    targets: ['env'],
    description:
      'Binds the port the app is configured to listen on (PORT or env.portVariable) on 0.0.0.0 and 127.0.0.1 and releases it at once; when the port is taken, names the listening process (pid and command) from /proc when visible. Meant for an app that will not start: while the app runs, its port is taken by the app itself.',
    defaults: {},
    timeoutMs: 3000,
    findings: {
      'config.port-in-use': {
        title: 'The port the app listens on is taken',
        fix: 'Stop the process holding the port (an old instance of the app, another dev server), or give the app another port in the .env.',
        commands: ["ss -ltnp 'sport = :{port}'", 'lsof -nP -iTCP:{port} -sTCP:LISTEN'],
      },
    },
  },
  async run(ctx) {
    const env = await appEnvironment(ctx)
    observeEnvironment(ctx, env)
    const name = env.settings.portVariable
    const raw = env.vars[name]
    if (raw === undefined || raw.trim() === '') ctx.skip(`${name} is not set: the app's default port is not known`)
    const port = Number(raw.trim())
    if (!Number.isInteger(port) || port < 1 || port > 65535) ctx.skip(`${name} is not a port number (${raw.length} characters)`)
    ctx.observe('config.port.value', port)
    const binds: [string, BindResult][] = []
    for (const host of ['0.0.0.0', '127.0.0.1']) binds.push([host, await tryBind(port, host)])
    const taken = binds.filter(([, r]) => r === 'in-use').map(([h]) => h)
    ctx.observe('config.port.inUse', taken.length > 0)
    const bindEvidence: Evidence[] = binds.map(([host, r]) => ({
      label: `bind ${host}:${port}`,
      observed: r === 'free' ? 'free' : r === 'in-use' ? 'EADDRINUSE (taken)' : `not tested (${r.other})`,
      expected: 'free',
    }))
    if (taken.length === 0) {
      if (binds.every(([, r]) => typeof r === 'object')) ctx.skip(`cannot bind port ${port} here to test it (${(binds[0][1] as { other: string }).other})`)
      ctx.ok({ label: `${name}`, observed: `${port} (${whereSet(env, name)})` }, ...bindEvidence)
      return
    }
    const holders = await socketHolders(await listeningInodes(port), ctx.signal)
    if (holders.length) ctx.observe('config.port.holderPid', holders[0].pid)
    ctx.finding('config.port-in-use', {
      severity: 'critical',
      title: `Port ${port} (${name}) is already in use${holders.length ? ` by pid ${holders[0].pid}` : ''}`,
      evidence: [
        { label: name, observed: `${port} (${whereSet(env, name)})` },
        ...bindEvidence,
        {
          label: 'held by',
          observed: holders.length ? holders.map((h) => `pid ${h.pid}: ${h.command}`).join('; ') : 'not visible (another user or network namespace; run ss -ltnp as root)',
        },
      ],
      commands: [`ss -ltnp 'sport = :${port}'`, `lsof -nP -iTCP:${port} -sTCP:LISTEN`],
    })
  },
})
