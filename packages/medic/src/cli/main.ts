/**
 * medic's CLI: one binary, one place that turns errors into messages and exit codes.
 * Each command lives in commands/<verb>.ts and exports `register(program, io)`.
 */
import { Command, CommanderError } from 'commander'
import { UserError } from '../engine/errors.js'
import { EXIT, processIO, type CliIO } from './io.js'
import { register as registerDiagnose } from './commands/diagnose.js'
import { register as registerCheck } from './commands/check.js'
import { register as registerList } from './commands/list.js'
import { register as registerInit } from './commands/init.js'
import { register as registerMetrics } from './commands/metrics.js'
import { register as registerJwt } from './commands/jwt.js'
import { register as registerLogs } from './commands/logs.js'
import { register as registerTrace } from './commands/trace.js'

export const VERSION = '0.1.0'

/** Runs the CLI and resolves to the exit code. Never calls process.exit (the launcher does). */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  let exitCode: number = EXIT.OK
  const setExit = (code: number) => {
    exitCode = code
  }
  const program = new Command('medic')
    .description('Finds out why a backend is failing: read-only checks, runbooks, logs and reports.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(s),
    })

  // commands: one line each (keep the order of `medic --help`)
  registerDiagnose(program, io, setExit)
  registerCheck(program, io, setExit)
  registerList(program, io, setExit)
  registerInit(program, io, setExit)
  registerJwt(program, io, setExit)
  registerLogs(program, io, setExit)
  registerTrace(program, io, setExit)
  registerMetrics(program, io, setExit)
  // end commands

  try {
    await program.parseAsync(argv)
    return exitCode
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; a bad flag or argument is UNKNOWN (3), commander already said why.
      return err.exitCode === 0 ? EXIT.OK : EXIT.UNKNOWN
    }
    if (err instanceof UserError) {
      io.stderr(`medic: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ''}`)
      return EXIT.UNKNOWN
    }
    io.stderr(`medic: internal error (this is a bug, please report it with the command you ran):\n${err instanceof Error ? err.stack : String(err)}\n`)
    return EXIT.UNKNOWN
  }
}
