/**
 * tls.expiry against real node:tls listeners serving certificates made with openssl in the test:
 * valid, expired, expiring in 2 and 10 days, an expired intermediate; over `kind: tls` and https URLs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { createPki, daysFromNow, type Cert, type Pki } from '../../../test/helpers/certs.js'
import { freePort } from '../../../test/helpers/ports.js'
import { tlsServer, type TestTlsServer } from '../../../test/helpers/tls-server.js'
import expiry from './expiry.js'

let pki: Pki
let root: Cert
const servers: Record<string, TestTlsServer> = {}
const SANS = ['localhost', 'IP:127.0.0.1']

beforeAll(async () => {
  pki = createPki()
  root = pki.ca({ cn: 'Medic Test Root', days: 3650 })
  const inter = pki.intermediate(root, { cn: 'Medic Test Intermediate', days: 1825 })
  const oldInter = pki.intermediate(root, { cn: 'Medic Old Intermediate', notBefore: daysFromNow(-400), notAfter: daysFromNow(-5) })
  const leaves = {
    valid: pki.leaf(inter, { cn: 'valid.test', sans: SANS, days: 90 }),
    expired: pki.leaf(inter, { cn: 'expired.test', sans: SANS, notBefore: daysFromNow(-100), notAfter: daysFromNow(-3) }),
    in2: pki.leaf(inter, { cn: 'two-days.test', sans: SANS, days: 2 }),
    in10: pki.leaf(inter, { cn: 'ten-days.test', sans: SANS, days: 10 }),
    oldInter: pki.leaf(oldInter, { cn: 'old-intermediate.test', sans: SANS, days: 90 }),
  }
  for (const [name, leaf] of Object.entries(leaves)) servers[name] = await tlsServer({ key: leaf.keyPem, cert: leaf.chainPem })
})
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()))
  pki?.cleanup()
})

const tlsTarget = (name: string) => ({ kind: 'tls', host: '127.0.0.1', port: servers[name].port, ca: root.certPath })

describe('tls.expiry', () => {
  it('is ok for a certificate with 90 days left, and records the facts', async () => {
    const r = await runCheck(expiry, tlsTarget('valid'))
    expect(r.status).toBe('ok')
    expect(r.evidence[0]).toMatchObject({ label: 'certificate CN=valid.test not after', expected: '≥ 20 days left' })
    expect(r.evidence[0].observed).toMatch(/\(89 days left\)$/)
    expect(r.observations).toMatchObject({ 'tls.reachable': true, 'tls.daysLeft': 89, 'tls.protocol': 'TLSv1.3' })
  })

  it('reports an expired certificate as critical with subject, SANs, issuer, dates, chain and protocol', async () => {
    const r = await runCheck(expiry, tlsTarget('expired'))
    const f = findingOf(r, 'tls.expired')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toMatch(/^certificate CN=expired\.test expired on \d{4}-\d\d-\d\d \d\d:\d\d UTC \(3 days ago\)$/)
    const text = evidenceText(f)
    expect(text).toMatch(/certificate CN=expired\.test not after: .* \(expired 3 days ago\) \(expected a date in the future\)/)
    expect(text).toContain('subject: CN=expired.test')
    expect(text).toContain('subject alternative names: DNS:localhost, IP Address:127.0.0.1')
    expect(text).toContain('issuer: CN=Medic Test Intermediate')
    expect(text).toContain('chain: CN=expired.test ← CN=Medic Test Intermediate ← CN=Medic Test Root (root)')
    expect(text).toMatch(/protocol: TLSv1\.3, TLS_/)
    expect(f?.commands[0]).toMatch(/^openssl s_client -connect 127\.0\.0\.1:\d+ -CAfile .* \| openssl x509 -noout -subject -issuer -dates$/)
  })

  it('reports a certificate expiring in 2 days as critical and in 10 days as a warning', async () => {
    const two = findingOf(await runCheck(expiry, tlsTarget('in2')), 'tls.expiring')
    expect(two?.severity).toBe('critical')
    expect(two?.title).toMatch(/^certificate CN=two-days\.test expires on .* \(1 day 23 h left\)$/)
    const ten = findingOf(await runCheck(expiry, tlsTarget('in10')), 'tls.expiring')
    expect(ten?.severity).toBe('warning')
    expect(evidenceText(ten)).toMatch(/certificate CN=ten-days\.test not after: .* \(9 days left\) \(expected ≥ 20 days left\)/)
  })

  it('honours threshold overrides', async () => {
    const r = await runCheck(expiry, { ...tlsTarget('in10'), thresholds: { 'tls.expiring': { warningDays: 7 } } })
    expect(r.status).toBe('ok')
  })

  it('reports an expired intermediate even when the leaf is fine', async () => {
    const f = findingOf(await runCheck(expiry, tlsTarget('oldInter')), 'tls.expired')
    expect(f?.title).toMatch(/^intermediate CN=Medic Old Intermediate expired on .* \(5 days ago\)$/)
  })

  it('runs for an https URL of an http target, and is skipped for a plain http one', async () => {
    const r = await runCheck(expiry, { kind: 'http', url: `https://127.0.0.1:${servers.in10.port}/`, ca: root.certPath })
    expect(findingOf(r, 'tls.expiring')?.severity).toBe('warning')
    const plain = await runCheck(expiry, { kind: 'http', url: 'http://127.0.0.1:8000' })
    expect(plain.status).toBe('skipped')
    expect(plain.reason).toContain('is not an https URL')
  })

  it('errors with the reason for a dead tls target, and is skipped for a dead https URL (http.reachable reports it)', async () => {
    const port = await freePort()
    const r = await runCheck(expiry, { kind: 'tls', host: '127.0.0.1', port })
    expect(r.status).toBe('error')
    expect(r.reason).toMatch(/^no TLS handshake with 127\.0\.0\.1:\d+: refused: connect ECONNREFUSED/)
    expect(r.observations['tls.reachable']).toBe(false)
    const h = await runCheck(expiry, { kind: 'http', url: `https://127.0.0.1:${port}` })
    expect(h.status).toBe('skipped')
    expect(h.reason).toContain('(see http.reachable)')
  })
})

describe('tls.expiry on a port that does not speak TLS', () => {
  it('errors saying the port is not TLS', async () => {
    const { serve } = await import('../../../test/helpers/http-server.js')
    const plain = await serve({})
    try {
      const r = await runCheck(expiry, { kind: 'tls', host: '127.0.0.1', port: plain.port })
      expect(r.status).toBe('error')
      expect(r.reason).toMatch(/wrong version number: the port does not speak TLS/)
    } finally {
      await plain.close()
    }
  })
})

describe('tls.expiry on a blackholed port', () => {
  it('ends by its deadline with the reason', async () => {
    const { blackhole } = await import('../../../test/helpers/ports.js')
    const hole = await blackhole()
    try {
      const started = Date.now()
      const r = await runCheck(expiry, { kind: 'tls', host: '127.0.0.1', port: hole.port }, { timeoutMs: 1200 })
      expect(Date.now() - started).toBeLessThan(1700)
      expect(r.status).toBe('error')
      expect(r.reason).toMatch(/^no TLS handshake with 127\.0\.0\.1:\d+: timeout ETIMEDOUT: no TLS handshake within \d+ ms \(TCP connected\)$/)
    } finally {
      await hole.close()
    }
  })
})
