import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { metricsTarget, startMetricsApp, type MetricsApp } from '../../../test/helpers/metrics-app.js'
import { blackhole, freePort } from '../../../test/helpers/ports.js'
import scrape from './scrape.js'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { maskUrl } from '../../engine/redact.js'
import type { Target } from '../../engine/types.js'

/** A local HTTP server on `port` (0: any) answering with `handler`; closed by the caller. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, port = 0): Promise<Server & { port: number }> {
  const server = createServer(handler)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  return Object.assign(server, { port: (server.address() as { port: number }).port })
}
const close = (s: Server | undefined) => new Promise<void>((r) => (s ? s.close(() => r()) : r()))

/** A target as medic.yaml makes it: the address is the URL with its password masked. */
function targetOf(url: string): Target {
  return { ...metricsTarget(url), address: maskUrl(url) }
}

let app: MetricsApp
beforeAll(async () => {
  app = await startMetricsApp()
})
afterAll(() => app.close())

describe('metrics.scrape', () => {
  it('scrapes a real prom-client registry twice and says so', async () => {
    const r = await runCheck(scrape, null, { target: metricsTarget(app.url, {}), config: { thresholds: { 'metrics.scrape': { windowMs: 200 } } } })
    expect(r.status).toBe('ok')
    expect(r.observations['metrics.reachable']).toBe(true)
    expect(r.evidence[0].observed).toMatch(/samples twice, \d+ ms apart/)
  })

  it('reports a refused port as metrics.unreachable (critical)', async () => {
    const port = await freePort()
    const r = await runCheck(scrape, null, { target: metricsTarget(`http://127.0.0.1:${port}/metrics`) })
    const f = findingOf(r, 'metrics.unreachable')
    expect(f?.severity).toBe('critical')
    expect(evidenceText(f)).toContain(`connection refused by 127.0.0.1:${port}`)
  })

  it('reports a 404 with its status', async () => {
    const r = await runCheck(scrape, null, { target: metricsTarget(app.url.replace('/metrics', '/nope')) })
    expect(evidenceText(findingOf(r, 'metrics.unreachable'))).toContain('answered HTTP 404')
  })

  it('ends by its deadline on a port that never answers', async () => {
    const hole = await blackhole()
    try {
      const r = await runCheck(scrape, null, { target: metricsTarget(`http://127.0.0.1:${hole.port}/metrics`), timeoutMs: 800 })
      expect(r.status === 'problem' || r.status === 'error').toBe(true)
    } finally {
      await hole.close()
    }
  })

  it('scrapes a server on a port browsers call "bad" (6000), where fetch refused', async () => {
    // WHATWG fetch's blocked ports; any one that is free here will do.
    let server: (Server & { port: number }) | undefined
    for (const port of [6000, 6665, 6666, 6667, 6668, 6669, 6697, 10080]) {
      try {
        server = await serve(async (_req, res) => {
          res.setHeader('content-type', app.registry.contentType)
          res.end(await app.registry.metrics())
        }, port)
        break
      } catch {
        // taken: try the next one
      }
    }
    if (!server) throw new Error('no blocked port free on this host')
    try {
      const r = await runCheck(scrape, null, { target: metricsTarget(`http://127.0.0.1:${server.port}/metrics`), config: { thresholds: { 'metrics.scrape': { windowMs: 100 } } } })
      expect(r.findings).toEqual([])
      expect(r.status).toBe('ok')
      expect(r.evidence[0].observed).toMatch(/^\d+ samples twice/)
    } finally {
      await close(server)
    }
  })

  it('sends credentials in the URL as Basic auth, and never shows the password', async () => {
    const PW = 'Scr4pe-Pw-x81'
    const server = await serve(async (req, res) => {
      if (req.headers.authorization !== `Basic ${Buffer.from(`prom:${PW}`).toString('base64')}`) {
        res.statusCode = 401
        res.setHeader('www-authenticate', 'Basic realm="metrics"')
        res.end('unauthorized')
        return
      }
      res.setHeader('content-type', app.registry.contentType)
      res.end(await app.registry.metrics())
    })
    try {
      const url = `http://prom:${encodeURIComponent(PW)}@127.0.0.1:${server.port}/metrics`
      const ok = await runCheck(scrape, null, { target: targetOf(url), secrets: [PW], config: { thresholds: { 'metrics.scrape': { windowMs: 100 } } } })
      expect(ok.status).toBe('ok')
      const wrong = await runCheck(scrape, null, { target: targetOf(`http://prom:nope-${PW}@127.0.0.1:${server.port}/metrics`), secrets: [PW] })
      const f = findingOf(wrong, 'metrics.unreachable')
      expect(f?.severity).toBe('critical')
      expect(evidenceText(f)).toContain('answered HTTP 401')
      // A command a person can paste: curl asks for the password itself.
      expect(f?.commands[0]).toBe(`curl -s -u prom http://127.0.0.1:${server.port}/metrics | head`)
    } finally {
      await close(server)
    }
  })

  it('a Prometheus query API behind Basic auth (credentials in the URL): answers, password never shown', async () => {
    const PW = 'Pr0m-Api-Pw-55'
    const server = await serve((req, res) => {
      if (req.headers.authorization !== `Basic ${Buffer.from(`reader:${PW}`).toString('base64')}`) {
        res.statusCode = 401
        res.end()
        return
      }
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [0, '1'] }] } }))
    })
    try {
      const url = `http://reader:${PW}@127.0.0.1:${server.port}`
      const r = await runCheck(scrape, null, { target: { ...targetOf(url), options: { prometheus: url } }, secrets: [PW] })
      expect(r.status).toBe('ok')
      expect(r.evidence[0].observed).toBe('answers queries')
    } finally {
      await close(server)
    }
  })

  it('an HTML login page answered with 200: metrics.unreachable (critical) with the content type and first bytes', async () => {
    const server = await serve((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8')
      res.end('<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n<body><form>user</form></body></html>\n')
    })
    try {
      const r = await runCheck(scrape, null, { target: metricsTarget(`http://127.0.0.1:${server.port}/metrics`) })
      const f = findingOf(r, 'metrics.unreachable')
      expect(f?.severity).toBe('critical')
      expect(r.status).toBe('problem')
      expect(evidenceText(f)).toContain('answered HTTP 200 but with no Prometheus samples (content-type text/html; charset=utf-8; first bytes "<!DOCTYPE html> <html><head><title>Sign in')
      expect(r.observations['metrics.reachable']).toBe(false)
      expect(f?.fix).toContain('not a login redirect, an SPA fallback page')
    } finally {
      await close(server)
    }
  })

  it('an empty body and a garbage body: metrics.unreachable, not "0 samples" OK', async () => {
    for (const [type, body, says] of [
      ['text/plain', '', 'content-type text/plain; empty body'],
      ['application/octet-stream', 'zz\u0001\u0002 not metrics at all\n', 'content-type application/octet-stream; first bytes "zz'],
    ] as const) {
      const server = await serve((_req, res) => {
        res.setHeader('content-type', type)
        res.end(body)
      })
      try {
        const r = await runCheck(scrape, null, { target: metricsTarget(`http://127.0.0.1:${server.port}/metrics`) })
        const f = findingOf(r, 'metrics.unreachable')
        expect(f?.severity).toBe('critical')
        expect(evidenceText(f)).toContain(`answered HTTP 200 but with no Prometheus samples (${says}`)
      } finally {
        await close(server)
      }
    }
  })

  it('Prometheus text that declares families but has no samples yet is still ok', async () => {
    const server = await serve((_req, res) => {
      res.setHeader('content-type', 'text/plain; version=0.0.4')
      res.end('# HELP http_requests_total requests\n# TYPE http_requests_total counter\n')
    })
    try {
      const r = await runCheck(scrape, null, { target: metricsTarget(`http://127.0.0.1:${server.port}/metrics`), config: { thresholds: { 'metrics.scrape': { windowMs: 100 } } } })
      expect(r.status).toBe('ok')
      expect(r.evidence[0].observed).toMatch(/^0 samples twice/)
    } finally {
      await close(server)
    }
  })

  it('a body that never ends is cut at the size bound, by the deadline', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'x')
    const server = await serve((_req, res) => {
      res.setHeader('content-type', 'text/plain')
      const pump = () => {
        while (res.write(chunk)) {
          if (res.destroyed) return
        }
        res.once('drain', pump)
      }
      res.on('error', () => {})
      pump()
    })
    try {
      const r = await runCheck(scrape, null, { target: metricsTarget(`http://127.0.0.1:${server.port}/metrics`), timeoutMs: 4000 })
      const f = findingOf(r, 'metrics.unreachable')
      expect(f?.severity).toBe('critical')
      expect(evidenceText(f)).toContain('metrics body larger than 32 MB')
    } finally {
      server.closeAllConnections()
      await close(server)
    }
  })
})
