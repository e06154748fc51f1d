/** Free TCP ports and listeners that never answer, for tests. */
import { createServer, type Server, type Socket } from 'node:net'

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

/** A TCP port that accepts connections and never says a word (a "blackhole"). */
export async function blackhole(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>()
  const srv: Server = createServer((s) => {
    sockets.add(s)
    s.on('error', () => {})
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const { port } = srv.address() as { port: number }
  return {
    port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy()
        srv.close(() => r())
      }),
  }
}
