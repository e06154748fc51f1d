/**
 * Migration tools as data: where each records what it applied (table, columns) and how a migration
 * in the code folder maps to the id stored in that table. Alembic's graph lives in alembic.ts; the
 * others are compared as sets (pending = in the code, not in the table; unknown = the reverse).
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

export type ToolName = 'alembic' | 'knex' | 'prisma' | 'typeorm' | 'django' | 'rails' | 'flyway'

export interface CodeMigration {
  id: string
  file: string
}

export interface ToolSpec {
  label: string
  table: string
  /**
   * Read-only SELECT returning `id` (and `applied`, false for failed/rolled-back rows; and `applied_at`
   * where the tool records when, for the timeline), portable to PostgreSQL and MySQL.
   */
  select: string
  /** The migrations in the code folder, sorted in apply order. */
  scan(dir: string): CodeMigration[]
  /** Normalise an id read from the table so it compares with the code's ids. */
  normalize?(id: string): string
  /** Limit "unknown" to what the code could contain (Django: apps present in the code). */
  ownsId?(id: string, code: CodeMigration[]): boolean
  /** Commands a person runs to see the same thing. */
  commands: string[]
  /** The command that applies the pending migrations (used in the fix). */
  upgrade: string
}

function files(dir: string, re: RegExp): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && re.test(e.name))
      .map((e) => e.name)
      .sort()
  } catch {
    return []
  }
}

const stripExt = (name: string) => name.replace(/\.(?:[cm]?js|ts|coffee|ls)$/, '')

/** Flyway versions compare by numeric segments: V1_1 == 1.1 == 01.1. */
function flywayVersion(v: string): string {
  return v
    .replace(/_/g, '.')
    .split('.')
    .map((s) => (/^\d+$/.test(s) ? String(Number(s)) : s))
    .join('.')
}

export const TOOLS: Record<Exclude<ToolName, 'alembic'>, ToolSpec> = {
  knex: {
    label: 'Knex',
    table: 'knex_migrations',
    select: 'SELECT name AS id, migration_time AS applied_at FROM knex_migrations ORDER BY id',
    // Knex stores the file name; compiled .ts -> .js keeps the stem, so compare stems.
    scan: (dir) => files(dir, /^[^.].*\.(?:[cm]?js|ts)$/).filter((f) => !f.endsWith('.d.ts')).map((f) => ({ id: stripExt(f), file: f })),
    normalize: stripExt,
    commands: ['npx knex migrate:status', 'npx knex migrate:list'],
    upgrade: 'npx knex migrate:latest',
  },
  prisma: {
    label: 'Prisma',
    table: '_prisma_migrations',
    // A row that never finished (a failed migration) or was rolled back does not count as applied.
    select: 'SELECT migration_name AS id, (finished_at IS NOT NULL AND rolled_back_at IS NULL) AS applied, finished_at AS applied_at FROM _prisma_migrations ORDER BY started_at',
    scan: (dir) => {
      try {
        return readdirSync(dir, { withFileTypes: true })
          .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'migration.sql')))
          .map((e) => ({ id: e.name, file: `${e.name}/migration.sql` }))
          .sort((a, b) => (a.id < b.id ? -1 : 1))
      } catch {
        return []
      }
    },
    commands: ['npx prisma migrate status'],
    upgrade: 'npx prisma migrate deploy',
  },
  typeorm: {
    label: 'TypeORM',
    table: 'migrations',
    // TypeORM files are `<timestamp>-<Name>.ts` and rows hold the same timestamp.
    select: 'SELECT migrations.timestamp AS id FROM migrations ORDER BY migrations.timestamp',
    scan: (dir) =>
      files(dir, /^\d{10,}-.*\.(?:[cm]?js|ts)$/)
        .filter((f) => !f.endsWith('.d.ts'))
        .map((f) => ({ id: String(Number(/^(\d+)/.exec(f)![1])), file: f })),
    normalize: (id) => String(Number(id)),
    commands: ['npx typeorm migration:show -d <data-source>'],
    upgrade: 'npx typeorm migration:run -d <data-source>',
  },
  django: {
    label: 'Django',
    table: 'django_migrations',
    select: "SELECT CONCAT(app, '.', name) AS id, applied AS applied_at FROM django_migrations ORDER BY id",
    // dir is the project root: <app>/migrations/NNNN_name.py, one or two levels down.
    scan: (dir) => {
      const out: CodeMigration[] = []
      const visit = (base: string, depth: number) => {
        let entries
        try {
          entries = readdirSync(base, { withFileTypes: true })
        } catch {
          return
        }
        for (const e of entries) {
          if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'node_modules' || e.name === '__pycache__') continue
          const migrations = join(base, e.name, 'migrations')
          for (const f of files(migrations, /^\d{4}_.*\.py$/)) out.push({ id: `${e.name}.${f.replace(/\.py$/, '')}`, file: join(e.name, 'migrations', f) })
          if (depth < 1) visit(join(base, e.name), depth + 1)
        }
      }
      if (/[\\/]migrations[\\/]?$/.test(dir)) {
        // Pointed at one app's migrations folder: the app is the parent folder's name.
        const app = dir.replace(/[\\/]migrations[\\/]?$/, '').split(/[\\/]/).pop() ?? ''
        for (const f of files(dir, /^\d{4}_.*\.py$/)) out.push({ id: `${app}.${f.replace(/\.py$/, '')}`, file: f })
      } else visit(dir, 0)
      return out.sort((a, b) => (a.id < b.id ? -1 : 1))
    },
    // Django's own apps (auth, admin, sessions...) have rows but no files in the project.
    ownsId: (id, code) => code.some((c) => c.id.split('.')[0] === id.split('.')[0]),
    commands: ['python manage.py showmigrations'],
    upgrade: 'python manage.py migrate',
  },
  rails: {
    label: 'Rails',
    table: 'schema_migrations',
    select: 'SELECT version AS id FROM schema_migrations ORDER BY version',
    scan: (dir) => files(dir, /^\d+_.*\.rb$/).map((f) => ({ id: /^(\d+)/.exec(f)![1], file: f })),
    commands: ['bin/rails db:migrate:status'],
    upgrade: 'bin/rails db:migrate',
  },
  flyway: {
    label: 'Flyway',
    table: 'flyway_schema_history',
    // Repeatable migrations have no version; failed ones have success = false.
    select: 'SELECT version AS id, success AS applied, installed_on AS applied_at FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank',
    scan: (dir) =>
      files(dir, /^V[0-9][0-9._]*__.*\.sql$/)
        .map((f) => ({ id: flywayVersion(/^V([0-9._]+?)__/.exec(f)![1]), file: f }))
        .sort((a, b) => compareVersions(a.id, b.id)),
    normalize: flywayVersion,
    commands: ['flyway info'],
    upgrade: 'flyway migrate',
  },
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d) return d
  }
  return 0
}

export interface SetComparison {
  pending: CodeMigration[]
  unknown: string[]
}

/** Pending: in the code, not applied. Unknown: applied rows the code lacks. */
export function compareSets(spec: ToolSpec, code: CodeMigration[], rows: Record<string, unknown>[]): SetComparison {
  const norm = spec.normalize ?? ((s: string) => s)
  const applied = new Set<string>()
  const recorded = new Set<string>()
  for (const r of rows) {
    if (r.id === null || r.id === undefined) continue
    const id = norm(String(r.id))
    recorded.add(id)
    // pg returns booleans, MySQL 0/1.
    if (r.applied === undefined || r.applied === true || r.applied === 1 || r.applied === '1' || r.applied === 't') applied.add(id)
  }
  const codeIds = new Set(code.map((c) => c.id))
  return {
    pending: code.filter((c) => !applied.has(c.id)),
    unknown: [...recorded].filter((id) => !codeIds.has(id) && (spec.ownsId ? spec.ownsId(id, code) : true)),
  }
}
