// migrations.heads reads only the Alembic scripts (no database): real script folders written here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { alembicVersions, BRANCHED, LINEAR, MERGED } from '../../../test/helpers/alembic-fixture.js'
import { targetFromConfig } from '../../config/resolve.js'
import { targetSchema } from '../../config/targets.js'
import type { Target } from '../../engine/types.js'
import heads from './heads.js'
import status from './status.js'

const folders = [alembicVersions(LINEAR), alembicVersions(BRANCHED), alembicVersions(MERGED)]
afterAll(() => folders.forEach((f) => f.cleanup()))
// The database URL is never contacted by this check.
const target = (dir: string, tool = 'alembic') => ({ kind: 'postgres', url: 'postgres://app@127.0.0.1:1/app', migrations: { tool, dir } })

describe('migrations.heads', () => {
  it('is ok for a linear history and names the head', async () => {
    const r = await runCheck(heads, target(folders[0].dir))
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toContain('c3f0c0de0003')
    expect(r.observations['migrations.heads']).toBe(1)
  })

  it('reports two unmerged heads as critical, with both files', async () => {
    const f = findingOf(await runCheck(heads, target(folders[1].dir)), 'migrations.multiple-heads')
    expect(f?.severity).toBe('critical')
    expect(evidenceText(f)).toContain('heads: c3f0c0de0003 (003_c3f0c0de0003_add_index.py), d4f0c0de0004 (004_d4f0c0de0004_add_roles.py)')
  })

  it('is ok again after a merge revision', async () => {
    expect((await runCheck(heads, target(folders[2].dir))).status).toBe('ok')
  })

  it('skips tools without a revision graph, and an empty folder, with the reason', async () => {
    const knex = await runCheck(heads, target(folders[0].dir, 'knex'))
    expect(knex).toMatchObject({ status: 'skipped' })
    expect(knex.reason).toContain('knex keeps an ordered list')
  })

  it('a configured migrations.dir that does not exist ends as error (shown as ?), with the folder it was resolved from', async () => {
    // The user's report: `migrations: {tool: alembic, dir: does/not/exist}` gave a ✓ target.
    const base = mkdtempSync(join(tmpdir(), 'medic-migrations-'))
    // baseDir is set by whoever builds the target (the CLI: medic.yaml's folder), not by medic.yaml.
    const at = (dir: string, tool = 'alembic'): { target: Target } => {
      const t = targetFromConfig('db', targetSchema.parse(target(dir, tool)), 'test')
      return { target: { ...t, options: { ...t.options, baseDir: base } } }
    }
    try {
      writeFileSync(join(base, 'not-a-folder'), 'x')
      for (const check of [heads, status]) {
        const gone = await runCheck(check, null, at('does/not/exist'))
        expect(gone.status).toBe('error')
        expect(gone.reason).toBe(`migrations.dir does/not/exist not found (relative to ${base})`)
        expect(gone.findings).toEqual([])
      }
      const knex = await runCheck(heads, null, at('does/not/exist', 'knex'))
      expect(knex.status).toBe('error')
      const file = await runCheck(heads, null, at('not-a-folder'))
      expect(file).toMatchObject({ status: 'error', reason: `migrations.dir not-a-folder is not a folder (relative to ${base})` })
      const abs = await runCheck(heads, target('/nonexistent/versions'))
      expect(abs).toMatchObject({ status: 'error', reason: 'migrations.dir /nonexistent/versions not found' })
    } finally {
      rmSync(base, { recursive: true, force: true })
    }
  })
})
