/**
 * The shared probe against real local servers: one request per path per run whatever the number of
 * http checks, DNS time measured for a host name, the body bounded in size and in time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCheck } from '../../../test/helpers/check-tester.js'
import { serve, type TestServer } from '../../../test/helpers/http-server.js'
import { ResourceCache } from '../../engine/shared.js'
import exposure from './exposure.js'
import health from './health.js'
import latency from './latency.js'
import { probe } from './probe.js'
import reachable from './reachable.js'

let srv: TestServer

beforeAll(async () => {
  srv = await serve({
    '/': { body: { name: 'api' } },
    '/health': { body: { status: 'ok' } },
    '/ready': { body: { status: 'ok' } },
    '/big': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end(Buffer.alloc(3 * 1024 * 1024, 'a'))
    },
    '/trickle': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"status":')
      // never ends
    },
  })
})
afterAll(async () => srv?.close())

describe('shared http probe', () => {
  it('sends one request per path for all four http checks of a run', async () => {
    const shared = new ResourceCache()
    const target = { kind: 'http', url: srv.url, health: ['/health', '/ready'] }
    srv.requests.length = 0
    for (const check of [reachable, health, latency, exposure]) expect((await runCheck(check, target, { shared })).status).toBe('ok')
    await shared.disposeAll()
    expect(srv.requests.sort()).toEqual(['/', '/health', '/ready'])
  })

  it('measures DNS for a host name and leaves it at 0 for an IP', async () => {
    const byName = await probe(new URL(`http://localhost:${srv.port}/health`), { timeoutMs: 2000, maxBodyBytes: 1024 })
    expect(byName.ok).toBe(true)
    expect(byName.timings.totalMs).toBeGreaterThanOrEqual(byName.timings.dnsMs + byName.timings.connectMs + byName.timings.ttfbMs)
    const byIp = await probe(new URL(`${srv.url}/health`), { timeoutMs: 2000, maxBodyBytes: 1024 })
    expect(byIp.timings.dnsMs).toBe(0)
  })

  it('reads at most maxBodyBytes', async () => {
    const p = await probe(new URL(`${srv.url}/big`), { timeoutMs: 2000, maxBodyBytes: 1_048_576 })
    expect(p.ok).toBe(true)
    expect(p.body?.length).toBe(1_048_576)
    expect(p.bodyTruncated).toBe(true)
  })

  it('keeps the status of an answer whose body never ends, by the timeout', async () => {
    const started = Date.now()
    const p = await probe(new URL(`${srv.url}/trickle`), { timeoutMs: 400, maxBodyBytes: 1024 })
    expect(Date.now() - started).toBeLessThan(900)
    expect(p).toMatchObject({ ok: true, status: 200, body: '{"status":', bodyTimedOut: true })
  })
})
