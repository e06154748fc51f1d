/**
 * medic's CLI: one binary, one place that turns errors into messages and exit codes.
 * The commands and their options are defined in program.ts; each command's implementation lives in
 * commands/<verb>.ts (exporting `run`) and is imported only when that command runs.
 */
import { CommanderError } from 'commander'
import { UserError } from '../engine/errors.js'
import { EXIT, processIO, type CliIO } from './io.js'
import { buildProgram } from './program.js'

export { VERSION } from './program.js'

/** Runs the CLI and resolves to the exit code. Never calls process.exit (the launcher does). */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  let exitCode: number = EXIT.OK
  const setExit = (code: number) => {
    exitCode = code
  }
  const program = buildProgram(io, setExit)

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
