/** `${VAR}` and `${VAR:-default}` in config strings. `$${` writes a literal `${`. */

export interface InterpolationProblem {
  variable: string
}

const REF = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g

export function interpolate(
  text: string,
  vars: Record<string, string | undefined>,
  onMissing: (p: InterpolationProblem) => void,
): string {
  return text.replace(REF, (whole, name: string | undefined, fallback: string | undefined) => {
    if (whole === '$${') return '${'
    const value = vars[name!]
    // `:-` treats empty as unset (as the shell does).
    if (value !== undefined && value !== '') return value
    if (fallback !== undefined) return fallback
    onMissing({ variable: name! })
    return ''
  })
}
