// jwt.subject-inactive against a throwaway PostgreSQL cluster: the configured subject query runs
// read-only on the postgres target's connection, from the check and from `medic jwt`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { runCli } from '../../../test/helpers/cli.js'
import { APP_PASSWORD, usePgCluster } from '../../../test/helpers/pg-cluster.js'
import { pgSubjectLookup } from '../../auth/subject.js'
import { resolveTargets } from '../../config/resolve.js'
import { configSchema } from '../../config/schema.js'
import jwt from './jwt.js'

const SECRET = 'subject-secret-Qw3Er5Ty7Ui9Op1As2Df4Gh6Jk8'
const pgc = usePgCluster()
const sign = (sub: string) => new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(SECRET))

beforeAll(async () => {
  await pgc.cluster.sql(
    `CREATE TABLE users (id text primary key, is_active boolean not null, deleted_at timestamptz);
     INSERT INTO users VALUES ('1', true, null), ('2', false, null), ('3', true, now());
     ALTER TABLE users OWNER TO app`,
    'app',
  )
})

function config(token: string, sql = 'SELECT is_active FROM users WHERE id = $1') {
  return { targets: { db: { kind: 'postgres', url: pgc.cluster.url() } }, auth: { jwt: { secret: SECRET, token, subjectQuery: { target: 'db', sql } } } }
}

async function check(token: string, sql?: string) {
  const cfg = config(token, sql)
  const target = resolveTargets(configSchema.parse(cfg)).find((t) => t.kind === 'auth')!
  return runCheck(jwt, null, { target, config: cfg, secrets: [SECRET, APP_PASSWORD, token] })
}

describe('auth.jwt subjectQuery (live PostgreSQL)', () => {
  it('an active subject: ok', async () => {
    const r = await check(await sign('1'))
    expect(r.status).toBe('ok')
  })

  it('an inactive subject and a missing one: jwt.subject-inactive with what the query said', async () => {
    const off = await check(await sign('2'))
    expect(off.findings.map((f) => f.id)).toEqual(['jwt.subject-inactive'])
    expect(evidenceText(findingOf(off, 'jwt.subject-inactive'))).toMatch(/subject: sub "2": is_active = false \(subjectQuery on db postgres:\/\/app:\*\*\*@127\.0\.0\.1:\d+\/app\)/)
    const gone = await check(await sign('999'))
    expect(findingOf(gone, 'jwt.subject-inactive')?.title).toContain('no account for sub "999" (the query returned no row)')
  })

  it('a tombstone column (deleted_at set) means inactive', async () => {
    const r = await check(await sign('3'), 'SELECT deleted_at FROM users WHERE id = $1')
    expect(findingOf(r, 'jwt.subject-inactive')?.title).toContain('is inactive (deleted_at = 2026-')
  })

  it('the query runs read-only: a write is refused by PostgreSQL, nothing changes, no finding', async () => {
    const r = await check(await sign('2'), 'UPDATE users SET is_active = true WHERE id = $1 RETURNING is_active')
    expect(r.findings).toEqual([])
    expect(r.evidence.map((e) => e.observed).join('\n')).toContain('subject query failed: cannot execute UPDATE in a read-only transaction')
    const still = await pgc.cluster.sql("SELECT is_active FROM users WHERE id = '2'", 'app')
    expect(still.rows[0].is_active).toBe(false)
  })

  it('pgSubjectLookup (used by `medic jwt`) answers the same, read-only', async () => {
    const l = pgSubjectLookup(pgc.cluster.url(), 'SELECT is_active FROM users WHERE id = $1', { timeoutMs: 2000 })
    try {
      expect(await l.lookup('1')).toEqual({ found: true, active: true, detail: 'is_active = true' })
      expect(await l.lookup('2')).toEqual({ found: true, active: false, detail: 'is_active = false' })
      expect(await l.lookup('404')).toEqual({ found: false, active: false, detail: 'the query returned no row' })
    } finally {
      await l.close()
    }
    const w = pgSubjectLookup(pgc.cluster.url(), "UPDATE users SET is_active = true WHERE id = $1 RETURNING is_active", { timeoutMs: 2000 })
    await expect(w.lookup('2')).rejects.toThrow(/read-only transaction/)
    await w.close()
  })

  it('medic jwt --config with the subject query: 401 because the account is inactive, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medic-jwt-subject-'))
    try {
      writeFileSync(
        join(dir, 'medic.yaml'),
        `targets:\n  db: { kind: postgres, url: "${pgc.cluster.url()}" }\nauth:\n  jwt:\n    secret: "${SECRET}"\n    subjectQuery: { target: db, sql: "SELECT is_active FROM users WHERE id = $1" }\n`,
      )
      const token = await sign('2')
      const r = await runCli(['jwt', token], { cwd: dir })
      expect(r.code).toBe(2)
      expect(r.stdout.split('\n')[0]).toBe('401 because: the account of sub "2" is inactive (is_active = false)')
      for (const s of [SECRET, APP_PASSWORD, token, token.split('.')[2]]) expect(r.stdout + r.stderr).not.toContain(s)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
