/** For config.* tests: a temp folder holding a .env (and friends) and the env target pointing at it. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Target } from '../../src/engine/types.js'

export interface EnvFixture {
  dir: string
  target: Target
  cleanup(): void
}

/**
 * Write `files` (name -> text) into a fresh temp dir and build the env target. `processEnv` replaces
 * process.env for the check (so the test states the whole environment), default {}.
 */
export function envFixture(files: Record<string, string>, options: Record<string, unknown> = {}, processEnv: Record<string, string> = {}): EnvFixture {
  const dir = mkdtempSync(join(tmpdir(), 'medic-config-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  const file = join(dir, typeof options.file === 'string' ? options.file : '.env')
  const target: Target = {
    id: 'env',
    kind: 'env',
    address: file,
    options: { required: [], secrets: [], portVariable: 'PORT', ...options, file, processEnv },
    thresholds: {},
    source: 'test',
  }
  return { dir, target, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}
