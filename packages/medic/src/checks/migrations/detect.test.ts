import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { detectMigrations } from './detect.js'

let root: string | undefined
afterEach(() => root && rmSync(root, { recursive: true, force: true }))

function project(files: Record<string, string>): string {
  root = mkdtempSync(join(tmpdir(), 'medic-detect-'))
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true })
    if (rel.endsWith('/')) mkdirSync(join(root, rel), { recursive: true })
    else writeFileSync(join(root, rel), text)
  }
  return root
}

describe('detectMigrations', () => {
  it('Alembic from alembic.ini script_location, %(here)s included', () => {
    const cwd = project({ 'alembic.ini': '[alembic]\nscript_location = %(here)s/migrations\n', 'migrations/versions/001_init.py': "revision = 'a'\n" })
    expect(detectMigrations(cwd)).toEqual({ tool: 'alembic', dir: 'migrations/versions', because: 'alembic.ini' })
  })
  it('Alembic in a backend/ folder with version_locations', () => {
    const cwd = project({ 'backend/alembic.ini': '[alembic]\nscript_location = alembic\nversion_locations = %(here)s/db/versions\n', 'backend/db/versions/x.py': '' })
    expect(detectMigrations(cwd)).toEqual({ tool: 'alembic', dir: 'backend/db/versions', because: 'backend/alembic.ini' })
  })
  it('Prisma, Rails, Django, Knex by their marker files', () => {
    expect(detectMigrations(project({ 'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n' }))?.tool).toBe('prisma')
    rmSync(root!, { recursive: true })
    expect(detectMigrations(project({ Gemfile: '', 'db/migrate/20260101_x.rb': '' }))).toEqual({ tool: 'rails', dir: 'db/migrate', because: 'Gemfile' })
    rmSync(root!, { recursive: true })
    expect(detectMigrations(project({ 'manage.py': '', 'blog/migrations/0001_initial.py': '' }))).toEqual({ tool: 'django', dir: '.', because: 'manage.py' })
    rmSync(root!, { recursive: true })
    expect(detectMigrations(project({ 'knexfile.js': '', 'migrations/20260101_a.js': '' }))).toEqual({ tool: 'knex', dir: 'migrations', because: 'knexfile.js' })
  })
  it('nothing recognisable: undefined', () => {
    expect(detectMigrations(project({ 'migrations/readme.md': '' }))).toBeUndefined()
  })
})
