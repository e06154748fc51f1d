/**
 * tls.chain against real node:tls listeners serving openssl-made chains: complete and trusted via
 * `ca:`, self-signed (fresh and expired), intermediate missing from what the server sends, an
 * unknown CA, a certificate not valid yet, and a trusted but expired one (left to tls.expiry).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { createPki, daysFromNow, type Cert, type Pki } from '../../../test/helpers/certs.js'
import { tlsServer, type TestTlsServer } from '../../../test/helpers/tls-server.js'
import chain from './chain.js'

let pki: Pki
let root: Cert
const servers: Record<string, TestTlsServer> = {}
const SANS = ['localhost', 'IP:127.0.0.1']

beforeAll(async () => {
  pki = createPki()
  root = pki.ca({ cn: 'Medic Test Root' })
  const inter = pki.intermediate(root, { cn: 'Medic Test Intermediate' })
  const otherRoot = pki.ca({ cn: 'Unknown Root' })
  const otherInter = pki.intermediate(otherRoot, { cn: 'Unknown Intermediate' })
  const good = pki.leaf(inter, { cn: 'good.test', sans: SANS })
  const self = pki.selfSigned({ cn: 'self.test', sans: SANS })
  const selfExpired = pki.selfSigned({ cn: 'self-expired.test', sans: SANS, notBefore: daysFromNow(-30), notAfter: daysFromNow(-1) })
  const unknown = pki.leaf(otherInter, { cn: 'unknown.test', sans: SANS })
  const future = pki.leaf(inter, { cn: 'future.test', sans: SANS, notBefore: daysFromNow(2), notAfter: daysFromNow(60) })
  const expired = pki.leaf(inter, { cn: 'expired.test', sans: SANS, notBefore: daysFromNow(-30), notAfter: daysFromNow(-1) })
  const serve = async (name: string, c: Cert, cert = c.chainPem) => (servers[name] = await tlsServer({ key: c.keyPem, cert }))
  await serve('good', good)
  await serve('self', self)
  await serve('selfExpired', selfExpired)
  await serve('incomplete', good, good.certPem) // the leaf alone: the intermediate is missing
  await serve('unknown', unknown)
  await serve('future', future)
  await serve('expired', expired)
})
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()))
  pki?.cleanup()
})

const target = (name: string, withCa = true) => ({ kind: 'tls', host: '127.0.0.1', port: servers[name].port, ...(withCa ? { ca: root.certPath } : {}) })

describe('tls.chain', () => {
  it('is ok for a complete chain ending in a root trusted with ca:', async () => {
    const r = await runCheck(chain, target('good'))
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toBe('CN=good.test ← CN=Medic Test Intermediate ← CN=Medic Test Root (trusted)')
    expect(r.observations).toMatchObject({ 'tls.trusted': true, 'tls.verifyError': null, 'tls.chainLength': 3 })
  })

  it('reports the same chain as untrusted without the ca: option (private root)', async () => {
    const f = findingOf(await runCheck(chain, target('good', false)), 'tls.untrusted-chain')
    expect(f?.title).toBe('unknown issuer: CN=Medic Test Root is not a trusted CA here')
    expect(evidenceText(f)).toContain('verify result: UNABLE_TO_GET_ISSUER_CERT_LOCALLY')
    expect(evidenceText(f)).toContain('trusted roots: system roots (no `ca:` file on this target)')
  })

  it('reports a self-signed certificate', async () => {
    const r = await runCheck(chain, target('self'))
    const f = findingOf(r, 'tls.untrusted-chain')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toBe('self-signed certificate CN=self.test: no client trusts it')
    expect(evidenceText(f)).toContain('verify result: DEPTH_ZERO_SELF_SIGNED_CERT')
    expect(evidenceText(f)).toContain('chain: CN=self.test (self-signed)')
    expect(r.observations['tls.selfSigned']).toBe(true)
  })

  it('still reports an expired self-signed certificate as untrusted (OpenSSL only says CERT_HAS_EXPIRED)', async () => {
    const f = findingOf(await runCheck(chain, target('selfExpired')), 'tls.untrusted-chain')
    expect(evidenceText(f)).toContain("verify result: DEPTH_ZERO_SELF_SIGNED_CERT (OpenSSL's last error was CERT_HAS_EXPIRED)")
  })

  it('reports an incomplete chain: the server sends the leaf without its intermediate', async () => {
    const f = findingOf(await runCheck(chain, target('incomplete')), 'tls.untrusted-chain')
    expect(f?.title).toBe('the server sends only its own certificate and its issuer CN=Medic Test Intermediate is not trusted here: incomplete chain (intermediate not sent) or a private CA')
    expect(evidenceText(f)).toContain('verify result: UNABLE_TO_VERIFY_LEAF_SIGNATURE')
    expect(evidenceText(f)).toContain('chain: CN=good.test ← ? (CN=Medic Test Intermediate not sent by the server, not a trusted root here)')
    expect(f?.fix).toContain('fullchain.pem')
  })

  it('reports a chain from an unknown CA', async () => {
    const f = findingOf(await runCheck(chain, target('unknown')), 'tls.untrusted-chain')
    expect(f?.title).toBe('unknown issuer: CN=Unknown Root is not a trusted CA here')
    expect(evidenceText(f)).toContain('certificates the client could place: 2: CN=unknown.test ← CN=Unknown Intermediate')
  })

  it('reports a certificate that is not valid yet, and leaves a trusted expired one to tls.expiry', async () => {
    const future = findingOf(await runCheck(chain, target('future')), 'tls.untrusted-chain')
    expect(future?.title).toMatch(/^certificate CN=future\.test is not valid yet \(from \d{4}-/)
    const expired = await runCheck(chain, target('expired'))
    expect(expired.status).toBe('ok')
    expect(expired.evidence[0].observed).toContain('CERT_HAS_EXPIRED: see tls.expiry')
  })
})
