/** Drive the CLI in-process: run `medic ...args` with captured stdout/stderr and a chosen cwd/env. */
import { Readable } from 'node:stream'
import { main } from '../../src/cli/main.js'
import type { CliIO } from '../../src/cli/io.js'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

export async function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; stdin?: string; tty?: boolean } = {}): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const io: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdin: Readable.from(opts.stdin !== undefined ? [opts.stdin] : []),
    stdoutIsTTY: opts.tty ?? false,
    stderrIsTTY: opts.tty ?? false,
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
  }
  const code = await main(['node', 'medic', ...args], io)
  return { code, stdout, stderr }
}
