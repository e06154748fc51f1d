/**
 * tls.protocol against real node:tls listeners: a TLS 1.2+ server and a TLS 1.1-only server. This
 * machine's OpenSSL 3 allows TLS 1.1 at security level 0, so the legacy server is real (the test
 * would fail, not skip, if it could not be made).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { createPki, type Pki } from '../../../test/helpers/certs.js'
import { tlsServer, type TestTlsServer } from '../../../test/helpers/tls-server.js'
import protocol from './protocol.js'

let pki: Pki
let modern: TestTlsServer
let legacyOnly: TestTlsServer
let mixed: TestTlsServer

beforeAll(async () => {
  pki = createPki()
  const cert = pki.selfSigned({ cn: 'proto.test', sans: ['IP:127.0.0.1'], keyType: 'rsa' })
  const base = { key: cert.keyPem, cert: cert.certPem }
  modern = await tlsServer({ ...base, minVersion: 'TLSv1.2' })
  legacyOnly = await tlsServer({ ...base, minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' })
  mixed = await tlsServer({ ...base, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' })
})
afterAll(async () => {
  await Promise.all([modern?.close(), legacyOnly?.close(), mixed?.close()])
  pki?.cleanup()
})

describe('tls.protocol', () => {
  it('is ok when TLS 1.0/1.1 are refused', async () => {
    const r = await runCheck(protocol, { kind: 'tls', host: '127.0.0.1', port: modern.port })
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toMatch(/^refused \(/)
    expect(r.evidence[1].observed).toMatch(/^TLSv1\.3, /)
    expect(r.observations).toMatchObject({ 'tls.legacyAccepted': false, 'tls.protocol': 'TLSv1.3' })
  })

  it('reports a server that also accepts TLS 1.1 next to TLS 1.3', async () => {
    const f = findingOf(await runCheck(protocol, { kind: 'tls', host: '127.0.0.1', port: mixed.port }), 'tls.legacy-protocol')
    expect(f?.severity).toBe('warning')
    expect(f?.title).toBe(`127.0.0.1:${mixed.port} still accepts TLSv1.1`)
    expect(evidenceText(f)).toMatch(/handshake offering only TLS 1\.0\/1\.1: accepted: TLSv1\.1, \S+ \(expected refused \(TLS 1\.2 or newer only\)\)/)
    expect(evidenceText(f)).toMatch(/negotiated by a current client: TLSv1\.3/)
  })

  it('reports a TLS 1.1-only server, whose certificate is still read through the legacy handshake', async () => {
    const r = await runCheck(protocol, { kind: 'tls', host: '127.0.0.1', port: legacyOnly.port })
    const f = findingOf(r, 'tls.legacy-protocol')
    expect(f?.title).toContain('still accepts TLSv1.1')
    expect(evidenceText(f)).toMatch(/negotiated by a current client: none: .*\(the server only speaks legacy TLS\)/)
    expect(f?.commands[0]).toContain("-tls1_1 -cipher 'DEFAULT@SECLEVEL=0'")
    expect(r.observations['tls.reachable']).toBe(true)
  })
})
