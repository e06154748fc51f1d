/**
 * Scenario: every http and tls check, through the real runner, against real local HTTPS servers with
 * openssl-made certificates. A bad certificate gives one http.unreachable (with the handshake reason)
 * plus the tls finding that explains it; nothing else piles up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertContract } from '../../../test/helpers/check-tester.js'
import { createPki, type Pki } from '../../../test/helpers/certs.js'
import { serve, type TestServer } from '../../../test/helpers/http-server.js'
import { configSchema } from '../../config/schema.js'
import { targetSchema } from '../../config/targets.js'
import { targetFromConfig } from '../../config/resolve.js'
import { runChecks } from '../../engine/runner.js'
import { tlsChecks } from '../tls/index.js'
import { httpChecks } from './index.js'

let pki: Pki
let selfSigned: TestServer
let good: TestServer
let caPath: string

beforeAll(async () => {
  pki = createPki()
  const self = pki.selfSigned({ cn: 'self.test', sans: ['IP:127.0.0.1'] })
  const root = pki.ca({ cn: 'Medic Test Root' })
  const leaf = pki.leaf(root, { cn: 'api.test', sans: ['IP:127.0.0.1'], days: 10 })
  caPath = root.certPath
  const routes = { '/health': { body: { status: 'ok' } }, '/': { body: { name: 'api' } } }
  selfSigned = await serve(routes, { key: self.keyPem, cert: self.certPem })
  good = await serve(routes, { key: leaf.keyPem, cert: leaf.certPem })
})
afterAll(async () => {
  await Promise.all([selfSigned?.close(), good?.close()])
  pki?.cleanup()
})

async function runAll(targetConfig: Record<string, unknown>) {
  const config = configSchema.parse({})
  // Latency is not the subject here, and this 2-core box is shared: no http.slow from a busy moment.
  const target = targetFromConfig('api', targetSchema.parse({ ...targetConfig, thresholds: { 'http.slow': { warningMs: 2500, criticalMs: 5000 } } }), 'test')
  const checks = [...httpChecks, ...tlsChecks]
  const results = await runChecks(
    checks.map((check) => ({ check, target })),
    { config, timeoutMs: 3000, concurrency: 8 },
  )
  results.forEach((r, i) => assertContract(checks[i], r, { secrets: [], elapsed: 0, timeoutMs: 3000 }))
  return Object.fromEntries(results.map((r) => [r.id, r]))
}

describe('an https target, every http and tls check', () => {
  it('self-signed, insecure: false: http.unreachable (tls) and tls.untrusted-chain, the rest ok or skipped', async () => {
    const r = await runAll({ kind: 'http', url: selfSigned.url })
    expect(r['http.reachable'].findings[0].evidence[0].observed).toMatch(/TLS handshake failed: self[- ]signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)/)
    for (const id of ['http.health', 'http.latency', 'http.exposure']) expect(r[id].status, id).toBe('skipped')
    expect(r['tls.chain'].findings.map((f) => f.id)).toEqual(['tls.untrusted-chain'])
    for (const id of ['tls.expiry', 'tls.hostname', 'tls.protocol']) expect(r[id].status, id).toBe('ok')
    const all = Object.values(r).flatMap((x) => x.findings.map((f) => f.id))
    expect(all.sort()).toEqual(['http.unreachable', 'tls.untrusted-chain'])
  })

  it('self-signed, insecure: true: the http checks run, tls.chain still reports the certificate', async () => {
    const r = await runAll({ kind: 'http', url: selfSigned.url, insecure: true })
    for (const id of ['http.reachable', 'http.health', 'http.latency', 'http.exposure']) expect(r[id].status, id).toBe('ok')
    expect(r['tls.chain'].findings[0].id).toBe('tls.untrusted-chain')
  })

  it('CA given with ca:, certificate expiring in 10 days: only tls.expiring', async () => {
    const r = await runAll({ kind: 'http', url: good.url, ca: caPath })
    const all = Object.values(r).flatMap((x) => x.findings.map((f) => `${f.id}:${f.severity}`))
    expect(all).toEqual(['tls.expiring:warning'])
    expect(r['http.latency'].observations['http.tlsMs']).toBeGreaterThan(0)
  })
})
