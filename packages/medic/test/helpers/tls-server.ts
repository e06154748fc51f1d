/** A throwaway TLS listener for tests: completes the handshake with the given key/cert/options, then closes. */
import type { AddressInfo, Socket } from 'node:net'
import tls, { type TlsOptions } from 'node:tls'

export interface TestTlsServer {
  port: number
  close(): Promise<void>
}

export async function tlsServer(options: TlsOptions): Promise<TestTlsServer> {
  const sockets = new Set<Socket>()
  const server = tls.createServer(options, (s) => s.end())
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  // Clients that refuse the certificate or the protocol are the point of these tests.
  server.on('tlsClientError', () => {})
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy()
        server.close(() => r())
      }),
  }
}
