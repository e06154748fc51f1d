/**
 * http.reachable against real local servers: a healthy HTTP server, a refused port, a name under
 * `.invalid` (never resolves), a port that accepts TCP and never answers, and HTTPS servers with
 * certificates made by openssl in the test (self-signed, and signed by a test CA given via `ca:`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { createPki, type Pki } from '../../../test/helpers/certs.js'
import { serve, type TestServer } from '../../../test/helpers/http-server.js'
import { blackhole, freePort } from '../../../test/helpers/ports.js'
import reachable from './reachable.js'

let pki: Pki
let plain: TestServer
let selfSigned: TestServer
let caSigned: TestServer
let caPath: string
let hole: Awaited<ReturnType<typeof blackhole>>

beforeAll(async () => {
  pki = createPki()
  const self = pki.selfSigned({ cn: '127.0.0.1', sans: ['localhost', 'IP:127.0.0.1'] })
  const root = pki.ca({ cn: 'Medic Test Root' })
  const leaf = pki.leaf(root, { cn: '127.0.0.1', sans: ['localhost', 'IP:127.0.0.1'] })
  caPath = root.certPath
  plain = await serve({ '/health': { body: { status: 'ok' } } })
  selfSigned = await serve({ '/health': { body: { status: 'ok' } } }, { key: self.keyPem, cert: self.certPem })
  caSigned = await serve({ '/health': { body: { status: 'ok' } } }, { key: leaf.keyPem, cert: leaf.chainPem })
  hole = await blackhole()
})

afterAll(async () => {
  await Promise.all([plain?.close(), selfSigned?.close(), caSigned?.close(), hole?.close()])
  pki?.cleanup()
})

describe('http.reachable', () => {
  it('answers ok with the status and time when the server answers', async () => {
    const r = await runCheck(reachable, { kind: 'http', url: plain.url })
    expect(r.status).toBe('ok')
    expect(r.observations['http.reachable']).toBe(true)
    expect(r.evidence[0]).toMatchObject({ label: 'GET /health' })
    expect(r.evidence[0].observed).toMatch(/^HTTP 200 in \d+ ms$/)
  })

  it('reports a refused connection', async () => {
    const port = await freePort()
    const r = await runCheck(reachable, { kind: 'http', url: `http://127.0.0.1:${port}` })
    const f = findingOf(r, 'http.unreachable')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toContain('refused the connection')
    expect(evidenceText(f)).toContain('ECONNREFUSED')
    expect(evidenceText(f)).toContain('stopped at: connect')
    expect(f?.commands.join('\n')).toContain(`ss -ltnp 'sport = :${port}'`)
    expect(r.observations['http.failure']).toBe('refused')
  })

  it('reports a host name that does not resolve', async () => {
    const r = await runCheck(reachable, { kind: 'http', url: 'http://medic-no-such-host.invalid:8080' })
    const f = findingOf(r, 'http.unreachable')
    expect(f?.title).toBe('host name medic-no-such-host.invalid does not resolve')
    expect(evidenceText(f)).toMatch(/DNS lookup of medic-no-such-host\.invalid failed \((ENOTFOUND|EAI_AGAIN)\)/)
    expect(f?.commands[0]).toBe('getent hosts medic-no-such-host.invalid')
    expect(r.observations['http.failure']).toBe('dns')
  })

  it('reports a blackholed port as a timeout by its deadline', async () => {
    const started = Date.now()
    const r = await runCheck(reachable, { kind: 'http', url: `http://127.0.0.1:${hole.port}` }, { timeoutMs: 1500 })
    expect(Date.now() - started).toBeLessThan(2000)
    const f = findingOf(r, 'http.unreachable')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toContain('accepted the connection but did not answer /health')
    expect(evidenceText(f)).toMatch(/timed out: no HTTP response \(TCP connected, no answer\) within \d+ ms/)
    expect(r.observations['http.failure']).toBe('timeout')
  })

  it('reports a failed TLS handshake with its reason when the certificate is self-signed', async () => {
    const r = await runCheck(reachable, { kind: 'http', url: `${selfSigned.url}/` })
    const f = findingOf(r, 'http.unreachable')
    expect(f?.title).toContain('TLS handshake with 127.0.0.1')
    expect(evidenceText(f)).toMatch(/TLS handshake failed: self[- ]signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)/)
    expect(evidenceText(f)).toContain('stopped at: tls')
    expect(f?.commands[0]).toMatch(/^openssl s_client -connect 127\.0\.0\.1:\d+/)
    expect(r.observations['http.failure']).toBe('tls')
  })

  it('reaches the self-signed server with insecure: true, and a CA-signed one with ca:', async () => {
    expect((await runCheck(reachable, { kind: 'http', url: selfSigned.url, insecure: true })).status).toBe('ok')
    const untrusted = await runCheck(reachable, { kind: 'http', url: caSigned.url })
    expect(evidenceText(findingOf(untrusted, 'http.unreachable'))).toContain('UNABLE_TO_VERIFY_LEAF_SIGNATURE')
    expect((await runCheck(reachable, { kind: 'http', url: caSigned.url, ca: caPath })).status).toBe('ok')
  })

  it('says so when the CA file cannot be read', async () => {
    const r = await runCheck(reachable, { kind: 'http', url: caSigned.url, ca: '/nonexistent/ca.pem' })
    expect(evidenceText(findingOf(r, 'http.unreachable'))).toContain('cannot read the CA file /nonexistent/ca.pem')
  })
})

describe('http.reachable, https URL on a plain HTTP port', () => {
  it('says the port does not speak TLS', async () => {
    const r = await runCheck(reachable, { kind: 'http', url: plain.url.replace('http:', 'https:') })
    const f = findingOf(r, 'http.unreachable')
    expect(f?.title).toContain('TLS handshake with 127.0.0.1')
    expect(evidenceText(f)).toMatch(/wrong version number: the port does not speak TLS \(use http:\/\/\?\)/)
  })
})
