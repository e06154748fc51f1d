/**
 * OpenAI cannot be reached from the test environment: these tests serve OpenAI's DOCUMENTED
 * answers (GET /v1/models list, 401 invalid_api_key, 429 bodies and x-ratelimit-* headers, 503)
 * from a local node:http server. Refused ports, a blackhole port, a self-signed TLS server and an
 * unresolvable `.invalid` host are real network conditions.
 */
import { createServer as createHttpsServer } from 'node:https'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ResourceCache } from '../../engine/shared.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { fakeHttp, type FakeServer } from '../../../test/helpers/fake-http.js'
import { createPki } from '../../../test/helpers/certs.js'
import { blackhole, freePort } from '../../../test/helpers/ports.js'
import auth from './auth.js'
import connect from './connect.js'
import latency from './latency.js'
import limits from './limits.js'

const KEY = `sk-proj-${'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'.repeat(5)}abcd`.slice(0, 164)
const MODELS = { object: 'list', data: [{ id: 'gpt-4o', object: 'model', created: 1715367049, owned_by: 'system' }] }

describe('external.connect', () => {
  let api: FakeServer
  beforeAll(async () => {
    api = await fakeHttp({ 'GET /v1/models': { status: 200, body: MODELS } })
  })
  afterAll(async () => {
    await api.close()
  })

  it('a healthy API gives no warning or critical finding, from one shared request', async () => {
    const shared = new ResourceCache()
    const target = { kind: 'external', preset: 'openai', url: `${api.url}/v1`, key: KEY }
    api.requests.length = 0
    const results = await Promise.all([connect, auth, limits, latency].map((c) => runCheck(c, target, { shared, secrets: [KEY] })))
    await shared.disposeAll()
    for (const r of results) {
      expect(r.status, `${r.id}: ${r.reason ?? ''}`).toBe('ok')
      expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([])
    }
    expect(api.requests).toHaveLength(1)
    expect(api.requests[0].path).toBe('/v1/models')
    expect(api.requests[0].headers.authorization).toBe(`Bearer ${KEY}`)
    expect(results[0].observations['external.reachable']).toBe(true)
    expect(results[1].evidence.map((e) => e.observed).join(' ')).toContain('sk-proj-… (164 chars)')
  })

  it('refused port: critical unreachable saying nothing listens', async () => {
    const port = await freePort()
    const r = await runCheck(connect, { kind: 'external', preset: 'openai', url: `http://127.0.0.1:${port}/v1`, key: KEY }, { secrets: [KEY] })
    const f = findingOf(r, 'external.unreachable')
    expect(f?.severity).toBe('critical')
    expect(evidenceText(f)).toMatch(/connection refused by 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/)
    expect(f?.title).toContain('refuses connections')
    expect(r.observations['external.failure']).toBe('refused')
    expect(f?.commands.join(' ')).toContain('$OPENAI_API_KEY')
  })

  it('host that does not resolve: critical unreachable naming the DNS failure', async () => {
    const r = await runCheck(connect, { kind: 'external', preset: 'openai', url: 'https://api.openai.invalid/v1', key: KEY }, { secrets: [KEY] })
    const f = findingOf(r, 'external.unreachable')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toContain('does not resolve')
    expect(evidenceText(f)).toContain('DNS lookup of "api.openai.invalid" found no address (ENOTFOUND)')
  })

  it('blackhole port: ends by the deadline with "connected but no answer"', async () => {
    const hole = await blackhole()
    try {
      const started = performance.now()
      const r = await runCheck(connect, { kind: 'external', preset: 'generic', url: `http://127.0.0.1:${hole.port}`, key: KEY }, { timeoutMs: 1500, secrets: [KEY] })
      expect(performance.now() - started).toBeLessThan(1500 + 500)
      const f = findingOf(r, 'external.unreachable')
      expect(f?.severity).toBe('critical')
      expect(evidenceText(f)).toMatch(/TCP connected to 127\.0\.0\.1:\d+, but no HTTP response within \d+ ms/)
      expect(r.status).toBe('problem')
    } finally {
      await hole.close()
    }
  })

  it('a self-signed certificate: TLS failure named with its code', async () => {
    const pki = createPki()
    const cert = pki.selfSigned({ cn: 'localhost', sans: ['localhost', 'IP:127.0.0.1'] })
    const srv = createHttpsServer({ key: cert.keyPem, cert: cert.certPem }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(MODELS))
    })
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    const port = (srv.address() as { port: number }).port
    try {
      const r = await runCheck(connect, { kind: 'external', preset: 'openai', url: `https://127.0.0.1:${port}/v1`, key: KEY }, { secrets: [KEY] })
      const f = findingOf(r, 'external.unreachable')
      expect(f?.title).toBe(`TLS handshake with OpenAI at 127.0.0.1:${port} failed`)
      expect(evidenceText(f)).toContain('TLS failed (DEPTH_ZERO_SELF_SIGNED_CERT)')
      expect(r.observations['external.failure']).toBe('tls')
    } finally {
      await new Promise<void>((r) => srv.close(() => r()))
      pki.cleanup()
    }
  })

  it('https:// against a plain HTTP port: TLS failure, fix says the scheme', async () => {
    const r = await runCheck(connect, { kind: 'external', preset: 'openai', url: `${api.url.replace('http:', 'https:')}/v1`, key: KEY }, { secrets: [KEY] })
    const f = findingOf(r, 'external.unreachable')
    expect(r.observations['external.failure']).toBe('tls')
    expect(f?.fix).toContain('https:// against a plain HTTP port')
  })

  it('503 from the provider is critical with the error body', async () => {
    const srv = await fakeHttp({
      'GET /v1/models': { status: 503, body: { error: { message: 'The server is overloaded or not ready yet.', type: 'server_error', param: null, code: null } } },
    })
    try {
      const r = await runCheck(connect, { kind: 'external', preset: 'openai', url: `${srv.url}/v1`, key: KEY }, { secrets: [KEY] })
      const f = findingOf(r, 'external.unreachable')
      expect(f?.severity).toBe('critical')
      expect(f?.title).toBe('OpenAI answers HTTP 503')
      expect(evidenceText(f)).toContain('server_error: The server is overloaded or not ready yet.')
    } finally {
      await srv.close()
    }
  })

  it('a base URL without /v1 (404 on /models) is reported as a wrong base URL', async () => {
    const r = await runCheck(connect, { kind: 'external', preset: 'openai', url: api.url, key: KEY }, { secrets: [KEY] })
    const f = findingOf(r, 'external.unreachable')
    expect(f?.title).toContain('wrong base URL')
    expect(evidenceText(f)).toContain('HTTP 404')
  })

  it('generic preset: 404 on the default probe path "/" still counts as reachable', async () => {
    const r = await runCheck(connect, { kind: 'external', preset: 'generic', url: api.url }, {})
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toContain('HTTP 404')
  })

  it('generic preset without url is skipped with a clear reason', async () => {
    const r = await runCheck(connect, { kind: 'external', preset: 'generic' }, {})
    expect(r.status).toBe('skipped')
    expect(r.reason).toContain('set url:')
  })
})
