/**
 * A throwaway local HTTP or HTTPS server for tests: routes map a path to a canned answer (status,
 * JSON or text body, headers, a delay before the first byte) or to a handler.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'

export interface CannedAnswer {
  status?: number
  /** Objects are sent as JSON. */
  body?: unknown
  contentType?: string
  headers?: Record<string, string>
  /** Wait this long before sending the headers (a slow time to first byte). */
  delayMs?: number
}

export type Route = CannedAnswer | ((req: IncomingMessage, res: ServerResponse) => void)

export interface TestServer {
  url: string
  port: number
  /** Paths requested, in order. */
  requests: string[]
  close(): Promise<void>
}

export async function serve(routes: Record<string, Route>, tls?: { key: string; cert: string; [k: string]: unknown }): Promise<TestServer> {
  const requests: string[] = []
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    requests.push(req.url ?? '')
    const route = routes[req.url ?? ''] ?? routes['*'] ?? { status: 404, body: { error: 'not found' } }
    if (typeof route === 'function') return route(req, res)
    const send = () => {
      const isText = typeof route.body === 'string'
      const body = route.body === undefined ? '' : isText ? (route.body as string) : JSON.stringify(route.body)
      res.writeHead(route.status ?? 200, {
        'content-type': route.contentType ?? (isText ? 'text/plain' : 'application/json'),
        ...(route.headers ?? {}),
      })
      res.end(body)
    }
    if (route.delayMs) setTimeout(send, route.delayMs)
    else send()
  }
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler)
  server.on('tlsClientError', () => {})
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}
