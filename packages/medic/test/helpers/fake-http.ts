/**
 * A local node:http server that serves fixed answers, for services that cannot run in the test
 * environment (Qdrant, OpenAI). Tests give it the DOCUMENTED responses of the real service; it
 * records every request so a test can assert what medic sent (headers, paths).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { Socket } from 'node:net'

export interface FakeAnswer {
  status?: number
  headers?: Record<string, string>
  /** An object is sent as JSON; a string as is. */
  body?: unknown
  /** Wait before answering (a slow service). */
  delayMs?: number
}

export interface FakeRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
}

export type FakeRoutes = Record<string, FakeAnswer | ((req: FakeRequest) => FakeAnswer)>

export interface FakeServer {
  url: string
  port: number
  requests: FakeRequest[]
  /** Replace the routes (keys are `GET /path`); unknown routes answer 404. */
  routes: FakeRoutes
  close(): Promise<void>
}

export async function fakeHttp(routes: FakeRoutes): Promise<FakeServer> {
  const requests: FakeRequest[] = []
  const sockets = new Set<Socket>()
  const state = { routes }
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    const r: FakeRequest = { method: req.method ?? 'GET', path, headers: req.headers }
    requests.push(r)
    const route = state.routes[`${r.method} ${path}`]
    const answer: FakeAnswer = typeof route === 'function' ? route(r) : route ?? { status: 404, body: { status: { error: `no route ${r.method} ${path}` } } }
    const send = () => {
      const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)
      const headers: Record<string, string> = {
        ...(typeof answer.body === 'object' && answer.body !== null ? { 'content-type': 'application/json' } : {}),
        ...(answer.headers ?? {}),
      }
      res.writeHead(answer.status ?? 200, headers)
      res.end(body)
    }
    if (answer.delayMs) {
      const t = setTimeout(send, answer.delayMs)
      res.on('close', () => clearTimeout(t))
    } else send()
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get routes() {
      return state.routes
    },
    set routes(next: FakeRoutes) {
      state.routes = next
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy()
        server.close(() => r())
      }),
  }
}
