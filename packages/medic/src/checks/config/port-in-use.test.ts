import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { evidenceText, runCheck } from '../../../test/helpers/check-tester.js'
import { envFixture, type EnvFixture } from '../../../test/helpers/env-target.js'
import { freePort } from '../../../test/helpers/ports.js'
import check from './port-in-use.js'

let fx: EnvFixture | undefined
let server: Server | undefined
afterEach(async () => {
  fx?.cleanup()
  if (server) await new Promise((r) => server!.close(r))
  server = undefined
})

describe('config.port (config.port-in-use)', () => {
  it('a port held by a listener in this test: names this very process', async () => {
    server = createServer()
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
    const port = (server.address() as { port: number }).port
    fx = envFixture({ '.env': `PORT=${port}\n` })
    const r = await runCheck(check, null, { target: fx.target })
    expect(r.status).toBe('problem')
    const f = r.findings[0]
    expect(f.id).toBe('config.port-in-use')
    expect(f.severity).toBe('critical')
    expect(f.title).toBe(`Port ${port} (PORT) is already in use by pid ${process.pid}`)
    const text = evidenceText(f)
    expect(text).toContain(`bind 127.0.0.1:${port}: EADDRINUSE (taken)`)
    // The holder's command line, read from /proc/<pid>/cmdline: this node process.
    expect(text).toMatch(new RegExp(`held by: pid ${process.pid}: \\S*node`))
    expect(f.commands).toContain(`ss -ltnp 'sport = :${port}'`)
    expect(r.observations['config.port.holderPid']).toBe(process.pid)
  })

  it('uses env.portVariable and passes a free port', async () => {
    const port = await freePort()
    fx = envFixture({ '.env': 'PORT=1\n' }, { portVariable: 'APP_PORT' }, { APP_PORT: String(port) })
    const r = await runCheck(check, null, { target: fx.target })
    expect(r.status).toBe('ok')
    expect(r.evidence[0]).toEqual({ label: 'APP_PORT', observed: `${port} (process environment)` })
    expect(r.observations['config.port.inUse']).toBe(false)
  })

  it('is skipped when the port variable is unset or not a number', async () => {
    fx = envFixture({ '.env': 'APP_NAME=x\n' })
    expect((await runCheck(check, null, { target: fx.target })).reason).toContain('PORT is not set')
    fx.cleanup()
    fx = envFixture({ '.env': 'PORT=eighty\n' })
    expect((await runCheck(check, null, { target: fx.target })).reason).toContain('PORT is not a port number')
  })
})
