/**
 * A port where the TCP connect itself never completes, as behind a firewall that drops SYNs: a
 * listener with a backlog of 0 that never accepts (python3, since Node always accepts), with its
 * accept queue filled so the kernel drops further SYNs.
 */
import { spawn } from 'node:child_process'
import { connect, type Socket } from 'node:net'

export async function hungConnect(): Promise<{ port: number; close: () => Promise<void> }> {
  const py = spawn('python3', ['-c', 'import socket,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(120)'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    py.once('error', reject)
    py.stdout.once('data', (d) => resolve(Number(String(d).trim())))
  })
  const fillers: Socket[] = []
  for (let i = 0; i < 3; i++) fillers.push(connect(port, '127.0.0.1').on('error', () => {}))
  // Let the fillers take the queue before the probe connects.
  await new Promise((r) => setTimeout(r, 150))
  return {
    port,
    close: async () => {
      for (const f of fillers) f.destroy()
      py.kill()
    },
  }
}
