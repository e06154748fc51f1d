/** tls.hostname against real node:tls listeners with openssl-made certificates for the right and the wrong names. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { createPki, type Cert, type Pki } from '../../../test/helpers/certs.js'
import { tlsServer, type TestTlsServer } from '../../../test/helpers/tls-server.js'
import hostname from './hostname.js'

let pki: Pki
let root: Cert
let right: TestTlsServer
let wrong: TestTlsServer
let wildcard: TestTlsServer

beforeAll(async () => {
  pki = createPki()
  root = pki.ca({ cn: 'Medic Test Root' })
  const ok = pki.leaf(root, { cn: 'api.medic.test', sans: ['api.medic.test', 'localhost', 'IP:127.0.0.1'] })
  const bad = pki.leaf(root, { cn: 'other.example.test', sans: ['other.example.test', 'www.other.example.test'] })
  const wild = pki.leaf(root, { cn: '*.medic.test', sans: ['*.medic.test'] })
  right = await tlsServer({ key: ok.keyPem, cert: ok.certPem })
  wrong = await tlsServer({ key: bad.keyPem, cert: bad.certPem })
  wildcard = await tlsServer({ key: wild.keyPem, cert: wild.certPem })
})
afterAll(async () => {
  await Promise.all([right?.close(), wrong?.close(), wildcard?.close()])
  pki?.cleanup()
})

describe('tls.hostname', () => {
  it('is ok when the SANs cover the IP, the name and a wildcard match', async () => {
    const byIp = await runCheck(hostname, { kind: 'tls', host: '127.0.0.1', port: right.port, ca: root.certPath })
    expect(byIp.status).toBe('ok')
    expect(byIp.observations['tls.hostnameMatches']).toBe(true)
    expect((await runCheck(hostname, { kind: 'tls', host: '127.0.0.1', port: right.port, servername: 'api.medic.test' })).status).toBe('ok')
    expect((await runCheck(hostname, { kind: 'tls', host: '127.0.0.1', port: wildcard.port, servername: 'db.medic.test' })).status).toBe('ok')
  })

  it('reports a certificate issued for another name', async () => {
    const r = await runCheck(hostname, { kind: 'tls', host: '127.0.0.1', port: wrong.port, servername: 'api.medic.test', ca: root.certPath })
    const f = findingOf(r, 'tls.hostname-mismatch')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toBe('certificate CN=other.example.test does not cover api.medic.test')
    const text = evidenceText(f)
    expect(text).toContain("host name: api.medic.test (expected listed in the certificate's subject alternative names)")
    expect(text).toContain('certificate names: DNS:other.example.test, DNS:www.other.example.test')
    expect(text).toContain("client error: Hostname/IP does not match certificate's altnames")
    expect(text).toContain('(ERR_TLS_CERT_ALTNAME_INVALID)')
    expect(r.observations['tls.hostnameMatches']).toBe(false)
  })

  it('checks the host of an https URL, and a wildcard does not cover two labels', async () => {
    const r = await runCheck(hostname, { kind: 'http', url: `https://127.0.0.1:${wrong.port}/health`, ca: root.certPath })
    expect(findingOf(r, 'tls.hostname-mismatch')?.title).toBe('certificate CN=other.example.test does not cover 127.0.0.1')
    const deep = await runCheck(hostname, { kind: 'tls', host: '127.0.0.1', port: wildcard.port, servername: 'a.b.medic.test' })
    expect(findingOf(deep, 'tls.hostname-mismatch')).toBeDefined()
  })
})
