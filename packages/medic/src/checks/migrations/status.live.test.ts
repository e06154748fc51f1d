// Live: a throwaway PostgreSQL cluster (test/helpers/pg-cluster.ts) holds the migration tables; the
// Alembic versions/ folders and Knex/Prisma migration folders are written by the test.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { alembicVersions, BRANCHED, LINEAR, MERGED } from '../../../test/helpers/alembic-fixture.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { APP_PASSWORD, usePgCluster } from '../../../test/helpers/pg-cluster.js'
import { blackhole } from '../../../test/helpers/ports.js'
import heads from './heads.js'
import status from './status.js'

const pgc = usePgCluster({ preload: [], maxConnections: 20 })
const folders: { cleanup(): void }[] = []
let linear: string, branched: string, merged: string

beforeAll(() => {
  for (const [revs, set] of [
    [LINEAR, (d: string) => (linear = d)],
    [BRANCHED, (d: string) => (branched = d)],
    [MERGED, (d: string) => (merged = d)],
  ] as const) {
    const v = alembicVersions(revs)
    folders.push(v)
    set(v.dir)
  }
})
afterAll(() => folders.forEach((f) => f.cleanup()))

/** Run setup SQL as the app role (it owns the tables, as the app's migrations would). */
async function appSql(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: pgc.cluster.url() })
  await c.connect()
  try {
    await c.query(sql)
  } finally {
    await c.end()
  }
}

const setAlembic = (...versions: string[]) =>
  appSql(
    `DROP TABLE IF EXISTS alembic_version; CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY);` +
      versions.map((v) => `INSERT INTO alembic_version VALUES ('${v}');`).join(''),
  )
const target = (dir: string, tool = 'alembic') => ({ kind: 'postgres', url: pgc.cluster.url(), migrations: { tool, dir } })
const opts = () => ({ secrets: [APP_PASSWORD] })

describe('migrations.status with Alembic (live PostgreSQL)', () => {
  it('at head: ok, with the revision as evidence', async () => {
    await setAlembic('c3f0c0de0003')
    const r = await runCheck(status, target(linear), opts())
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toBe('c3f0c0de0003 (alembic_version)')
    expect(r.observations['migrations.pending']).toBe(0)
  })

  it('behind: migrations.pending lists the missing revisions in upgrade order', async () => {
    await setAlembic('a1f0c0de0001')
    const r = await runCheck(status, target(linear), opts())
    const f = findingOf(r, 'migrations.pending')!
    expect(f.severity).toBe('critical')
    expect(f.title).toBe('The database is 2 revisions behind the code')
    const text = evidenceText(f)
    expect(text).toContain('database revision: a1f0c0de0001 (alembic_version) (expected head c3f0c0de0003)')
    expect(text).toContain('pending revisions: 2: b2f0c0de0002 (002_b2f0c0de0002_add_email.py) → c3f0c0de0003 (003_c3f0c0de0003_add_index.py)')
    expect(f.fix).toContain('alembic upgrade head')
    expect(f.commands[0]).toMatch(/^psql "postgres:\/\/app@127\.0\.0\.1:\d+\/app" -c "SELECT version_num FROM alembic_version"$/)
    expect(r.observations['migrations.pending']).toBe(2)
  })

  it('unknown: the database records a revision no script defines', async () => {
    await setAlembic('deadbeef9999')
    const r = await runCheck(status, target(linear), opts())
    expect(r.findings.map((f) => f.id)).toEqual(['migrations.unknown-version'])
    const f = r.findings[0]
    expect(f.title).toContain('deadbeef9999')
    expect(evidenceText(f)).toContain('not in the code: deadbeef9999 (3 revisions in')
  })

  it('never migrated: no alembic_version table, everything pending', async () => {
    await appSql('DROP TABLE IF EXISTS alembic_version')
    const r = await runCheck(status, target(linear), opts())
    const f = findingOf(r, 'migrations.pending')!
    expect(evidenceText(f)).toContain('no alembic_version table')
    expect(f.title).toBe('The database is 3 revisions behind the code')
  })

  it('branched: two heads (migrations.heads) and the database at one of them misses the other branch', async () => {
    await setAlembic('c3f0c0de0003')
    const h = await runCheck(heads, target(branched), opts())
    const mh = findingOf(h, 'migrations.multiple-heads')!
    expect(mh.severity).toBe('critical')
    expect(mh.title).toBe('The Alembic graph has 2 heads: c3f0c0de0003, d4f0c0de0004')
    expect(evidenceText(mh)).toContain('heads: c3f0c0de0003 (003_c3f0c0de0003_add_index.py), d4f0c0de0004 (004_d4f0c0de0004_add_roles.py)')
    expect(evidenceText(mh)).toContain('branch of d4f0c0de0004: revises b2f0c0de0002')
    const s = await runCheck(status, target(branched), opts())
    const p = findingOf(s, 'migrations.pending')!
    expect(evidenceText(p)).toContain('pending revisions: 1: d4f0c0de0004')
    expect(p.fix).toContain('alembic upgrade heads')
  })

  it('merged: one head again, database at the merge revision is up to date', async () => {
    await setAlembic('e5f0c0de0005')
    expect((await runCheck(heads, target(merged), opts())).status).toBe('ok')
    expect((await runCheck(status, target(merged), opts())).status).toBe('ok')
  })
})

describe('migrations.status with Knex and Prisma (live PostgreSQL)', () => {
  let root: string
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'medic-migrations-'))
    mkdirSync(join(root, 'knex'))
    for (const f of ['20260101000000_create_users.js', '20260102000000_add_email.js', '20260103000000_add_roles.ts']) writeFileSync(join(root, 'knex', f), 'exports.up = () => {}\n')
    for (const m of ['20260101000000_init', '20260102000000_add_posts', '20260103000000_add_tags']) {
      mkdirSync(join(root, 'prisma', m), { recursive: true })
      writeFileSync(join(root, 'prisma', m, 'migration.sql'), 'SELECT 1;\n')
    }
  })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('Knex: a file the table lacks is pending, a row without a file is unknown', async () => {
    await appSql(`DROP TABLE IF EXISTS knex_migrations; CREATE TABLE knex_migrations (id serial PRIMARY KEY, name varchar(255), batch int, migration_time timestamptz);
      INSERT INTO knex_migrations (name, batch, migration_time) VALUES ('20260101000000_create_users.js', 1, now()), ('20260102000000_add_email.js', 1, now()), ('20251231000000_hotfix.js', 2, now());`)
    const r = await runCheck(status, target(join(root, 'knex'), 'knex'), opts())
    // migration_time feeds the diagnosis timeline.
    expect(Date.now() - Date.parse(String(r.observations['migrations.lastAppliedAt']))).toBeLessThan(60_000)
    const p = findingOf(r, 'migrations.pending')!
    expect(p.title).toBe('1 Knex migration is not applied')
    expect(evidenceText(p)).toContain('pending migrations: 1: 20260103000000_add_roles (20260103000000_add_roles.ts)')
    expect(p.fix).toContain('npx knex migrate:latest')
    const u = findingOf(r, 'migrations.unknown-version')!
    expect(evidenceText(u)).toContain('not in the code: 20251231000000_hotfix')
  })

  it('Prisma: a migration that failed half-way (finished_at NULL) counts as pending', async () => {
    await appSql(`DROP TABLE IF EXISTS _prisma_migrations; CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL,
        finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count int NOT NULL DEFAULT 0);
      INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name) VALUES ('1', 'x', now(), '20260101000000_init'), ('2', 'x', NULL, '20260102000000_add_posts');`)
    const r = await runCheck(status, target(join(root, 'prisma'), 'prisma'), opts())
    const p = findingOf(r, 'migrations.pending')!
    expect(p.title).toBe('2 Prisma migrations are not applied')
    expect(evidenceText(p)).toContain('20260102000000_add_posts (20260102000000_add_posts/migration.sql) → 20260103000000_add_tags')
    expect(r.findings.map((f) => f.id)).toEqual(['migrations.pending'])
  })
})

describe('migrations.status with TypeORM, Django, Rails and Flyway (live PostgreSQL)', () => {
  let root: string
  const write = (rel: string, text = '-- migration\n') => {
    mkdirSync(join(root, rel, '..'), { recursive: true })
    writeFileSync(join(root, rel), text)
  }
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'medic-migrations-'))
    for (const f of ['typeorm/1700000000000-CreateUsers.ts', 'typeorm/1700000100000-AddEmail.ts']) write(f)
    for (const f of ['django/blog/migrations/0001_initial.py', 'django/blog/migrations/0002_post_slug.py', 'django/blog/migrations/__init__.py']) write(f)
    for (const f of ['rails/20260101000000_create_users.rb', 'rails/20260102000000_add_email.rb']) write(f)
    for (const f of ['flyway/V1__init.sql', 'flyway/V1_1__add_email.sql', 'flyway/V2__roles.sql', 'flyway/R__views.sql']) write(f)
  })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('TypeORM: the migrations table by timestamp', async () => {
    await appSql(`DROP TABLE IF EXISTS migrations; CREATE TABLE migrations (id serial PRIMARY KEY, "timestamp" bigint NOT NULL, name varchar NOT NULL);
      INSERT INTO migrations ("timestamp", name) VALUES (1700000000000, 'CreateUsers1700000000000');`)
    const r = await runCheck(status, target(join(root, 'typeorm'), 'typeorm'), opts())
    expect(evidenceText(findingOf(r, 'migrations.pending'))).toContain('pending migrations: 1: 1700000100000 (1700000100000-AddEmail.ts)')
  })

  it("Django: app.name rows; Django's own apps are not unknown", async () => {
    await appSql(`DROP TABLE IF EXISTS django_migrations; CREATE TABLE django_migrations (id serial PRIMARY KEY, app varchar(255), name varchar(255), applied timestamptz);
      INSERT INTO django_migrations (app, name, applied) VALUES ('auth', '0001_initial', now()), ('blog', '0001_initial', now()), ('blog', '0003_gone', now());`)
    const r = await runCheck(status, target(join(root, 'django'), 'django'), opts())
    expect(evidenceText(findingOf(r, 'migrations.pending'))).toContain('1: blog.0002_post_slug (blog/migrations/0002_post_slug.py)')
    expect(evidenceText(findingOf(r, 'migrations.unknown-version'))).toContain('not in the code: blog.0003_gone (expected')
  })

  it('Rails: schema_migrations versions, all applied', async () => {
    await appSql(`DROP TABLE IF EXISTS schema_migrations; CREATE TABLE schema_migrations (version varchar PRIMARY KEY);
      INSERT INTO schema_migrations VALUES ('20260101000000'), ('20260102000000');`)
    const r = await runCheck(status, target(join(root, 'rails'), 'rails'), opts())
    expect(r.status).toBe('ok')
    expect(r.evidence[1].observed).toMatch(/^2 in .*rails, all applied$/)
  })

  it('Flyway: a failed row is not applied; V1_1 matches 1.1; repeatables ignored', async () => {
    await appSql(`DROP TABLE IF EXISTS flyway_schema_history; CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50), description varchar(200), type varchar(20), script varchar(1000), success boolean NOT NULL, installed_on timestamp NOT NULL DEFAULT now());
      INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, success) VALUES (1, '1', 'init', 'SQL', 'V1__init.sql', true), (2, '1.1', 'add email', 'SQL', 'V1_1__add_email.sql', true), (3, '2', 'roles', 'SQL', 'V2__roles.sql', false), (4, NULL, 'views', 'SQL', 'R__views.sql', true);`)
    const r = await runCheck(status, target(join(root, 'flyway'), 'flyway'), opts())
    expect(r.findings.map((f) => f.id)).toEqual(['migrations.pending'])
    expect(evidenceText(r.findings[0])).toContain('pending migrations: 1: 2 (V2__roles.sql)')
    expect(r.findings[0].fix).toContain('flyway migrate')
  })
})

describe('migrations checks: prerequisites', () => {
  it('a dead database: skipped with a pointer to postgres.connect, by the deadline', async () => {
    const hole = await blackhole()
    try {
      const r = await runCheck(status, { kind: 'postgres', url: `postgres://app:${APP_PASSWORD}@127.0.0.1:${hole.port}/app`, migrations: { tool: 'alembic', dir: linear } }, { ...opts(), timeoutMs: 1500 })
      expect(r.status).toBe('skipped')
      expect(r.reason).toContain('see postgres.connect')
    } finally {
      await hole.close()
    }
  })

  it('no migrations config: skipped with the reason; a missing folder: error (a config mistake)', async () => {
    const none = await runCheck(status, { kind: 'postgres', url: 'postgres://app@127.0.0.1:1/app' })
    expect(none.status).toBe('skipped')
    expect(none.reason).toContain('no `migrations: {tool, dir}`')
    const gone = await runCheck(status, { kind: 'postgres', url: 'postgres://app@127.0.0.1:1/app', migrations: { tool: 'alembic', dir: '/nonexistent/versions' } })
    expect(gone).toMatchObject({ status: 'error', reason: 'migrations.dir /nonexistent/versions not found' })
  })
})
