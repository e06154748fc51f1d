/**
 * The HTTP probe client on real sockets: a local forward proxy (node:http answering CONNECT and
 * tunnelling, as an HTTP proxy does), a blackhole proxy, and the HTTP(S)_PROXY / NO_PROXY rules.
 * No third-party service.
 */
import { createServer, type Server } from 'node:http'
import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fakeHttp, type FakeServer } from '../../../test/helpers/fake-http.js'
import { blackhole, freePort } from '../../../test/helpers/ports.js'
import { createProbeClient, describeFailure, joinUrl, NetFailure, proxyFor, proxySettings } from './http-probe.js'

describe('proxy rules', () => {
  const p = proxySettings({ HTTPS_PROXY: 'http://user:pw@proxy.corp:3128', NO_PROXY: 'localhost,.internal,10.0.0.5:8080' })
  it('https goes through HTTPS_PROXY, credentials masked', () => {
    expect(proxyFor(new URL('https://api.openai.com/v1/models'), p)).toBe('http://user:***@proxy.corp:3128')
  })
  it('NO_PROXY hosts, suffixes and host:port are direct', () => {
    expect(proxyFor(new URL('https://localhost/x'), p)).toBeUndefined()
    expect(proxyFor(new URL('https://qdrant.internal/x'), p)).toBeUndefined()
    expect(proxyFor(new URL('https://10.0.0.5:8080/x'), p)).toBeUndefined()
    expect(proxyFor(new URL('https://10.0.0.5:9090/x'), p)).toBe('http://user:***@proxy.corp:3128')
  })
  it('plain http falls back to no proxy when only HTTPS_PROXY is set', () => {
    expect(proxyFor(new URL('http://example.com/'), p)).toBeUndefined()
  })
  it('joinUrl', () => {
    expect(joinUrl('https://api.openai.com/v1/', '/models')).toBe('https://api.openai.com/v1/models')
  })
})

describe('createProbeClient through a proxy', () => {
  let upstream: FakeServer
  let proxy: Server
  let proxyPort: number
  const seen: string[] = []
  beforeAll(async () => {
    upstream = await fakeHttp({ 'GET /v1/models': { body: { object: 'list', data: [] } } })
    // A forward proxy for plain http: the request line carries the absolute URL.
    // A forward proxy: undici tunnels through CONNECT (also for plain http), so that is what it serves.
    proxy = createServer((_req, res) => {
      res.writeHead(405)
      res.end()
    })
    proxy.on('connect', (req, client: Socket, head: Buffer) => {
      seen.push(req.url ?? '')
      const [host, port] = (req.url ?? '').split(':')
      const upstreamSocket = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstreamSocket.write(head)
        upstreamSocket.pipe(client)
        client.pipe(upstreamSocket)
      })
      upstreamSocket.on('error', () => client.destroy())
      client.on('error', () => upstreamSocket.destroy())
    })
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
    proxyPort = (proxy.address() as { port: number }).port
  })
  afterAll(async () => {
    await upstream.close()
    await new Promise<void>((r) => proxy.close(() => r()))
  })

  it('requests go through HTTP_PROXY and say so', async () => {
    const client = createProbeClient({ HTTP_PROXY: `http://127.0.0.1:${proxyPort}` })
    try {
      const r = await client.get(`${upstream.url}/v1/models`, { timeoutMs: 2000, headers: { authorization: 'Bearer x' } })
      expect(r.status).toBe(200)
      expect(r.proxy).toBe(`http://127.0.0.1:${proxyPort}`)
      expect(seen).toContain(`127.0.0.1:${upstream.port}`)
    } finally {
      await client.close()
    }
  })

  it('a dead proxy is named in the failure', async () => {
    const dead = await freePort()
    const client = createProbeClient({ HTTP_PROXY: `http://127.0.0.1:${dead}` })
    try {
      const err = await client.get(`${upstream.url}/v1/models`, { timeoutMs: 2000 }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(NetFailure)
      const d = describeFailure(err as NetFailure, 'OpenAI')
      expect(d.title).toBe(`OpenAI at 127.0.0.1:${upstream.port} is unreachable through proxy http://127.0.0.1:${dead}`)
      expect(d.observed).toContain('ECONNREFUSED')
    } finally {
      await client.close()
    }
  })
})

describe('createProbeClient budget', () => {
  it('a server that sends its headers and then trickles the body is told apart from a silent one', async () => {
    const srv = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"data": [')
      // a few bytes now and then, never the end
      const t = setInterval(() => res.write(' '), 100)
      res.on('close', () => clearInterval(t))
    })
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    const port = (srv.address() as { port: number }).port
    const client = createProbeClient({})
    const started = performance.now()
    try {
      const err = await client.get(`http://127.0.0.1:${port}/v1/models`, { timeoutMs: 500 }).catch((e: unknown) => e)
      expect(performance.now() - started).toBeLessThan(1000)
      expect((err as NetFailure).kind).toBe('body-timeout')
      const d = describeFailure(err as NetFailure, 'OpenAI')
      expect(d.title).toBe(`OpenAI at 127.0.0.1:${port} answers but does not finish its response`)
      expect(d.observed).toMatch(/^HTTP 200 headers after \d+ ms, then only \d+ bytes of the body by \d+ ms$/)
    } finally {
      await client.close()
      srv.closeAllConnections()
      await new Promise((r) => srv.close(r))
    }
  })


  it('a proxy that accepts and never answers (blackhole) still ends by the budget', async () => {
    const hole = await blackhole()
    const client = createProbeClient({ HTTP_PROXY: `http://127.0.0.1:${hole.port}` })
    const started = performance.now()
    try {
      const err = await client.get('http://example.test/v1/models', { timeoutMs: 600 }).catch((e: unknown) => e)
      expect(performance.now() - started).toBeLessThan(1000)
      expect((err as NetFailure).kind).toBe('response-timeout')
      expect(describeFailure(err as NetFailure, 'OpenAI').observed).toMatch(/^no HTTP response through proxy http:\/\/127\.0\.0\.1:\d+ within \d+ ms$/)
    } finally {
      await client.close()
      await hole.close()
    }
  })
})
