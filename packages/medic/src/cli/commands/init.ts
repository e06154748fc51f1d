/** `medic init`: write medic.yaml from what discovery finds (variables stay ${VAR}: no secret is written). */
import { existsSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { UserError } from '../../engine/errors.js'
import type { CliIO } from '../io.js'
import type { RunContext } from '../program.js'
import { loadTargets } from '../targets.js'

const HEADER = `# medic.yaml, written by \`medic init\` from what it discovered.
# Values read from the environment stay \${VAR} references: keep secrets out of this file.
# Shape and every key: see the "Config file" section of medic's README.
`

export async function run({ io }: RunContext, opts: { output: string; force?: boolean; stdout?: boolean }): Promise<void> {
  // Discovery only: an existing medic.yaml must not be read back into itself.
  const loaded = await loadTargets({ discoverOnly: true }, io)
  const text = `${HEADER}${loaded.yamlText ?? ''}`
  for (const n of loaded.notes) io.stderr(`${n}\n`)
  if (opts.stdout) {
    io.stdout(text)
    return
  }
  const path = resolve(io.cwd, opts.output)
  if (existsSync(path) && !opts.force) throw new UserError(`${opts.output} already exists`, 'Use --force to overwrite it, or --stdout to print the discovered config.')
  try {
    writeFileSync(path, text, { mode: 0o600 })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (code ?? String(err))
    throw new UserError(`cannot write ${opts.output}: ${why}`, 'Give a file path in an existing folder with -o, or --stdout to print the config.')
  }
  io.stderr(`wrote ${opts.output} (${loaded.targets.length} targets)\n`)
}
