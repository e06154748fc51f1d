/**
 * The `migrations: {tool, dir}` of a postgres/mysql target. No `migrations:` is a skip (nothing to
 * compare); a configured dir that does not exist is an error (a configuration mistake).
 */
import { existsSync, statSync } from 'node:fs'
import { isAbsolute, relative, resolve } from 'node:path'
import type { CheckContext } from '../../engine/check.js'
import type { ToolName } from './tools.js'

export interface MigrationSettings {
  tool: ToolName
  /** Absolute folder. */
  dir: string
  /** As written in the config (for evidence). */
  shownDir: string
}

export function migrationSettings(ctx: CheckContext): MigrationSettings {
  const m = ctx.target.options.migrations as { tool?: ToolName; dir?: string } | undefined
  if (!m || !m.dir) ctx.skip('no `migrations: {tool, dir}` in this target\'s config (e.g. migrations: {tool: alembic, dir: alembic/versions})')
  // `baseDir` (set by whoever builds the target, e.g. the CLI's cwd) else the working directory.
  const base = typeof ctx.target.options.baseDir === 'string' && ctx.target.options.baseDir ? resolve(ctx.target.options.baseDir) : process.cwd()
  const dir = isAbsolute(m.dir) ? m.dir : resolve(base, m.dir)
  // A folder the user configured that is not there is their mistake to see (status error, `?`, run
  // UNKNOWN), not a quiet skip: the checks would otherwise look fine without having looked at all.
  const where = isAbsolute(m.dir) ? '' : ` (relative to ${base})`
  if (!existsSync(dir)) throw new Error(`migrations.dir ${m.dir} not found${where}`)
  if (!statSync(dir).isDirectory()) throw new Error(`migrations.dir ${m.dir} is not a folder${where}`)
  const rel = relative(base, dir)
  return { tool: m.tool ?? 'alembic', dir, shownDir: rel && !rel.startsWith('..') ? rel : dir }
}

/** `a1 (001_init.py) → b2 (002_users.py) → …`, at most `max` shown. */
export function chain(items: { id: string; file?: string }[], max = 10): string {
  const shown = items.slice(0, max).map((i) => (i.file ? `${i.id} (${i.file})` : i.id))
  return shown.join(' → ') + (items.length > max ? ` → … ${items.length - max} more` : '')
}
