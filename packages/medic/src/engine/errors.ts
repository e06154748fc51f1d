/**
 * medic's own errors. One top-level catch in the CLI turns a UserError into a clear message and
 * exit code 3 (UNKNOWN); anything else is a bug and says so.
 */
export class UserError extends Error {
  /** `hint` says how to fix it. */
  constructor(message: string, readonly hint?: string) {
    super(message)
    this.name = 'UserError'
  }
}

/** A config problem located in a file: `medic.yaml:12 targets.db.url: expected a string`. */
export class ConfigError extends UserError {
  constructor(
    readonly problems: { file: string; line?: number; path: string; message: string }[],
    hint?: string,
  ) {
    super(
      problems
        .map((p) => `${p.file}${p.line ? `:${p.line}` : ''}${p.path ? ` ${p.path}` : ''}: ${p.message}`)
        .join('\n'),
      hint,
    )
    this.name = 'ConfigError'
  }
}

/** Turn anything thrown into a one-line reason without a stack trace. */
export function reasonOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) {
    return err.errors.map(reasonOf).join('; ')
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    const msg = err.message || err.name
    return typeof code === 'string' && !msg.includes(code) ? `${code}: ${msg}` : msg
  }
  return String(err)
}
