/** What a command may touch of the outside world: injected so tests drive the CLI in-process. */
import type { Readable } from 'node:stream'

export interface CliIO {
  stdout: (text: string) => void
  stderr: (text: string) => void
  stdin: Readable
  /** stdout is a terminal (colour and layout for people). */
  stdoutIsTTY: boolean
  /** stderr is a terminal (live progress). */
  stderrIsTTY: boolean
  env: Record<string, string | undefined>
  cwd: string
}

export function processIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdin: process.stdin,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  }
}

/** Exit codes, Nagios convention. */
export const EXIT = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const
