/**
 * migrations.status: the database has applied every migration the code holds, and records none the
 * code lacks. Alembic: `alembic_version` against the scripts' graph (everything at or below the
 * recorded revisions counts as applied). Knex, Prisma, TypeORM, Django, Rails, Flyway: their table
 * against the files in the folder.
 */
import { defineCheck } from '../../engine/check.js'
import type { Evidence } from '../../engine/types.js'
import { compare, readRevisionGraph } from './alembic.js'
import { readTable, tableCommand } from './db.js'
import { chain, migrationSettings } from './settings.js'
import { compareSets, TOOLS } from './tools.js'

const ALEMBIC_SQL = 'SELECT version_num FROM alembic_version'

export default defineCheck({
  meta: {
    id: 'migrations.status',
    title: 'The database schema matches the code migrations',
    targets: ['postgres', 'mysql'],
    description:
      "Compares what the database recorded as applied with the migrations in the code folder: Alembic's alembic_version against the revision graph, and the tables of Knex (knex_migrations), Prisma (_prisma_migrations, unfinished rows not counted), TypeORM (migrations), Django (django_migrations), Rails (schema_migrations) and Flyway (flyway_schema_history, failed rows not counted). Read-only.",
    defaults: {},
    timeoutMs: 5000,
    findings: {
      'migrations.pending': {
        title: 'The database is behind the code: migrations are pending',
        fix: 'Apply the pending migrations (after a backup, in a maintenance window if they lock big tables): `alembic upgrade head`.',
        commands: ['alembic current', 'alembic history --verbose'],
      },
      'migrations.unknown-version': {
        title: 'The database records a migration the code does not contain',
        fix: 'Deploy the code that contains that migration (the database was migrated by a newer or another branch), or, if the migration was deliberately removed, correct the version table by hand after checking the schema.',
        commands: ['alembic current', 'alembic heads'],
      },
    },
  },
  async run(ctx) {
    const s = migrationSettings(ctx)
    if (s.tool === 'alembic') {
      const g = readRevisionGraph(s.dir)
      if (g.revisions.size === 0) ctx.skip(`no Alembic revision scripts in ${s.shownDir}`)
      const read = await readTable(ctx, 'alembic_version', ALEMBIC_SQL)
      const db = read.rows.map((r) => String(r.version_num)).filter(Boolean)
      const state = compare(g, db)
      const commands = [tableCommand(ctx, ALEMBIC_SQL), 'alembic current', 'alembic heads']
      const current: Evidence = {
        label: 'database revision',
        observed: read.exists ? (db.length ? `${db.join(', ')} (alembic_version)` : 'none (alembic_version is empty)') : 'none (no alembic_version table: never migrated, or another database/schema)',
        expected: `head ${g.heads.join(', ')}`,
      }
      ctx.observe('migrations.tool', 'alembic')
      ctx.observe('migrations.pending', state.pending.length)
      ctx.observe('migrations.unknown', state.unknown.length)
      ctx.observe('migrations.dbVersion', db.join(',') || null)
      if (state.unknown.length) {
        ctx.finding('migrations.unknown-version', {
          severity: 'critical',
          title: `The database is at revision ${state.unknown.join(', ')}, which no script in ${s.shownDir} defines`,
          evidence: [
            current,
            { label: 'not in the code', observed: `${state.unknown.join(', ')} (${g.revisions.size} revisions in ${s.shownDir})`, expected: 'a revision of the scripts' },
          ],
          commands,
        })
      }
      if (state.pending.length) {
        ctx.finding('migrations.pending', {
          severity: 'critical',
          title: `The database is ${state.pending.length} revision${state.pending.length > 1 ? 's' : ''} behind the code`,
          evidence: [current, { label: 'pending revisions', observed: `${state.pending.length}: ${chain(state.pending.map((id) => ({ id, file: g.revisions.get(id)!.file })))}`, expected: 'none' }],
          fix: `Apply them: \`alembic upgrade ${g.heads.length > 1 ? 'heads' : 'head'}\` (after a backup; \`alembic upgrade head --sql\` shows the SQL first).`,
          commands,
        })
      }
      if (!state.unknown.length && !state.pending.length) ctx.ok(current, { label: 'revisions', observed: `${g.revisions.size} in ${s.shownDir}, all applied` })
      return
    }

    const spec = TOOLS[s.tool]
    const code = spec.scan(s.dir)
    if (code.length === 0) ctx.skip(`no ${spec.label} migrations in ${s.shownDir}`)
    const read = await readTable(ctx, spec.table, spec.select)
    const { pending, unknown } = compareSets(spec, code, read.rows)
    const commands = [tableCommand(ctx, spec.select), ...spec.commands]
    const recorded: Evidence = {
      label: `${spec.table} rows`,
      observed: read.exists ? `${read.rows.length}` : `no ${spec.table} table (never migrated, or another database/schema)`,
      expected: `${code.length} migrations in ${s.shownDir}`,
    }
    ctx.observe('migrations.tool', s.tool)
    ctx.observe('migrations.pending', pending.length)
    // When the last migration ran, for the diagnosis timeline ("errors began 2 min after a migration").
    const appliedAt = read.rows
      .map((r) => (r as { applied_at?: unknown }).applied_at)
      .map((v) => (v instanceof Date ? v : typeof v === 'string' || typeof v === 'number' ? new Date(v) : undefined))
      .filter((d): d is Date => d !== undefined && !Number.isNaN(d.getTime()))
    if (appliedAt.length) ctx.observe('migrations.lastAppliedAt', new Date(Math.max(...appliedAt.map((d) => d.getTime()))).toISOString())
    ctx.observe('migrations.unknown', unknown.length)
    if (unknown.length) {
      ctx.finding('migrations.unknown-version', {
        severity: 'critical',
        title: `${spec.table} records ${unknown.length} ${spec.label} migration${unknown.length > 1 ? 's' : ''} the code does not contain`,
        evidence: [recorded, { label: 'not in the code', observed: chain(unknown.map((id) => ({ id }))), expected: `files in ${s.shownDir}` }],
        commands,
      })
    }
    if (pending.length) {
      ctx.finding('migrations.pending', {
        severity: 'critical',
        title: `${pending.length} ${spec.label} migration${pending.length > 1 ? 's are' : ' is'} not applied`,
        evidence: [recorded, { label: 'pending migrations', observed: `${pending.length}: ${chain(pending)}`, expected: 'none' }],
        fix: `Apply them (after a backup): \`${spec.upgrade}\`.`,
        commands,
      })
    }
    if (!unknown.length && !pending.length) ctx.ok(recorded, { label: 'migrations', observed: `${code.length} in ${s.shownDir}, all applied` })
  },
})
