/** http.latency against real local HTTP and HTTPS servers that answer after a set delay. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { createPki, type Pki } from '../../../test/helpers/certs.js'
import { serve, type TestServer } from '../../../test/helpers/http-server.js'
import latency from './latency.js'

let pki: Pki
let srv: TestServer
let tlsSrv: TestServer
let caPath: string

beforeAll(async () => {
  pki = createPki()
  const root = pki.ca({ cn: 'Medic Test Root' })
  const leaf = pki.leaf(root, { cn: '127.0.0.1', sans: ['IP:127.0.0.1'] })
  caPath = root.certPath
  const routes = { '/health': { body: { status: 'ok' } }, '/slow': { body: { status: 'ok' }, delayMs: 600 }, '/slower': { body: { status: 'ok' }, delayMs: 350 } }
  srv = await serve(routes)
  tlsSrv = await serve(routes, { key: leaf.keyPem, cert: leaf.certPem })
})
afterAll(async () => {
  await Promise.all([srv?.close(), tlsSrv?.close()])
  pki?.cleanup()
})

describe('http.latency', () => {
  it('is ok for a fast endpoint and records the phases', async () => {
    const r = await runCheck(latency, { kind: 'http', url: srv.url })
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toMatch(/^dns 0 ms, connect \d+ ms, ttfb \d+ ms, transfer \d+ ms, total \d+ ms$/)
    expect(r.observations['http.totalMs']).toBeLessThan(500)
    expect(r.observations['http.dnsMs']).toBe(0)
  })

  it('reports a slow time to first byte as a warning with the phase breakdown', async () => {
    const r = await runCheck(latency, { kind: 'http', url: srv.url, health: ['/health', '/slow'] })
    const f = findingOf(r, 'http.slow')
    expect(f?.severity).toBe('warning')
    expect(f?.title).toMatch(/^GET \/slow took \d+ ms \(time to first byte \d+ ms\)$/)
    expect(evidenceText(f)).toMatch(/GET \/slow: dns 0 ms, connect \d+ ms, ttfb \d+ ms, transfer \d+ ms, total \d+ ms \(expected total < 500 ms\)/)
    expect(evidenceText(f)).not.toContain('GET /health:')
    expect(f?.fix).toContain('the application itself is slow')
    const ttfb = r.observations['http.ttfbMs'] as number
    // The server waits 600 ms before the headers: the measured ttfb is that, give or take scheduling.
    expect(ttfb).toBeGreaterThanOrEqual(595)
    expect(ttfb).toBeLessThan(1500)
    expect(r.observations['http.totalMs']).toBeGreaterThanOrEqual(ttfb)
  })

  it('measures the TLS handshake separately over HTTPS and honours threshold overrides (critical)', async () => {
    const r = await runCheck(
      latency,
      { kind: 'http', url: tlsSrv.url, health: ['/slower'], ca: caPath, thresholds: { 'http.slow': { warningMs: 100, criticalMs: 300 } } },
    )
    const f = findingOf(r, 'http.slow')
    expect(f?.severity).toBe('critical')
    expect(evidenceText(f)).toMatch(/dns 0 ms, connect \d+ ms, tls \d+ ms, ttfb \d+ ms, transfer \d+ ms, total \d+ ms/)
    expect(r.observations['http.ttfbMs']).toBeGreaterThanOrEqual(345)
    expect(r.observations['http.ttfbMs']).toBeLessThan(1200)
    expect(r.observations['http.tlsMs']).toBeGreaterThan(0)
    expect(f?.commands[0]).toContain(`--cacert ${caPath}`)
  })
})
