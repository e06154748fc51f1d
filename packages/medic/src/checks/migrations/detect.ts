/**
 * Find the project's migrations from its files, for discovery and `medic init`: the `migrations:
 * {tool, dir}` to put on the database target. First match wins, most specific first. Markers are
 * data; nothing is executed (alembic.ini is read as text).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import type { ToolName } from './tools.js'

export interface DetectedMigrations {
  tool: ToolName
  /** Relative to `cwd` when below it. */
  dir: string
  /** The file that gave it away, for discovery's notes. */
  because: string
}

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}

/** Alembic: `script_location` (and `version_locations`) of alembic.ini; `%(here)s` is the ini's folder. */
function alembic(cwd: string): DetectedMigrations | undefined {
  for (const ini of ['alembic.ini', 'backend/alembic.ini', 'app/alembic.ini']) {
    const path = join(cwd, ini)
    if (!existsSync(path)) continue
    const text = readFileSync(path, 'utf8').slice(0, 200_000)
    const here = resolve(path, '..')
    const value = (key: string) => new RegExp(`^\\s*${key}\\s*=\\s*(.+?)\\s*$`, 'm').exec(text)?.[1]?.replace(/%\(here\)s/g, here)
    const locations = value('version_locations')?.split(/[\s,;:]+/).filter(Boolean)
    const script = value('script_location') ?? 'alembic'
    // A package path (myapp:migrations) is not a folder we can read.
    const candidates = [...(locations ?? []), join(script, 'versions')].filter((c) => !/^[\w.]+:/.test(c)).map((c) => resolve(here, c))
    const dir = candidates.find(isDir)
    if (dir) return { tool: 'alembic', dir, because: ini }
  }
  return undefined
}

const MARKERS: { tool: ToolName; dir: string; needs?: string[] }[] = [
  { tool: 'prisma', dir: 'prisma/migrations', needs: ['prisma/migrations/migration_lock.toml'] },
  { tool: 'rails', dir: 'db/migrate', needs: ['Gemfile'] },
  { tool: 'django', dir: '.', needs: ['manage.py'] },
  { tool: 'flyway', dir: 'src/main/resources/db/migration' },
  { tool: 'flyway', dir: 'sql', needs: ['flyway.conf'] },
  { tool: 'knex', dir: 'migrations', needs: ['knexfile.js', 'knexfile.ts', 'knexfile.cjs', 'knexfile.mjs'] },
  { tool: 'typeorm', dir: 'src/migrations', needs: ['ormconfig.json', 'ormconfig.ts', 'src/data-source.ts'] },
  { tool: 'typeorm', dir: 'src/migration', needs: ['ormconfig.json', 'ormconfig.ts', 'src/data-source.ts'] },
]

export function detectMigrations(cwd: string): DetectedMigrations | undefined {
  const found = alembic(cwd) ?? (() => {
    for (const m of MARKERS) {
      const dir = join(cwd, m.dir)
      if (!isDir(dir)) continue
      const marker = m.needs ? m.needs.find((n) => existsSync(join(cwd, n))) : m.dir
      if (!marker) continue
      if (m.tool === 'django' && !readdirSync(cwd, { withFileTypes: true }).some((e) => e.isDirectory() && existsSync(join(cwd, e.name, 'migrations')))) continue
      return { tool: m.tool, dir, because: marker }
    }
    return undefined
  })()
  if (!found) return undefined
  const rel = relative(cwd, found.dir)
  return { ...found, dir: rel === '' ? '.' : rel.startsWith('..') ? found.dir : rel }
}
