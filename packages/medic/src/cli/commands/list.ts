/** `medic list`: every check with the findings it can emit, and the runbooks' symptoms. */
import { allChecks } from '../../checks/index.js'
import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { defaultConfig, loadConfigFile } from '../../config/load.js'
import { loadRunbooks } from '../../runbooks/index.js'
import type { CliIO } from '../io.js'
import type { RunContext } from '../program.js'

export function run({ io }: RunContext, opts: { json?: boolean; config?: string }): void {
  const file = opts.config ?? (existsSync(resolve(io.cwd, 'medic.yaml')) ? 'medic.yaml' : undefined)
  const loaded = file ? loadConfigFile(resolve(io.cwd, file), io.env) : undefined
  const runbooks = loadRunbooks(loaded?.config ?? defaultConfig(), loaded ? dirname(loaded.file) : io.cwd)
  const checks = allChecks.map((c) => ({
    id: c.meta.id,
    title: c.meta.title,
    targets: c.meta.targets,
    findings: Object.entries(c.meta.findings).map(([id, m]) => ({ id, title: m.title })),
    defaults: c.meta.defaults,
    description: c.meta.description,
  }))
  const symptoms = runbooks.all().map(({ data: r }) => ({ symptom: r.symptom, aliases: r.aliases, title: r.title, causes: r.causes.map((c) => c.id) }))
  if (opts.json) {
    io.stdout(`${JSON.stringify({ schemaVersion: 1, checks, runbooks: symptoms }, null, 2)}\n`)
    return
  }
  const out: string[] = ['Checks (medic check <id|family>):']
  for (const c of checks) {
    out.push(`  ${c.id.padEnd(34)} ${c.title}  [${c.targets.join(', ')}]`)
    for (const f of c.findings) out.push(`      ${f.id.padEnd(34)} ${f.title}`)
  }
  out.push('', 'Runbooks (medic diagnose <symptom>):')
  for (const r of symptoms) out.push(`  ${r.symptom.padEnd(10)} ${r.title}${r.aliases.length ? `  (also: ${r.aliases.join(', ')})` : ''}`)
  io.stdout(`${out.join('\n')}\n`)
}
