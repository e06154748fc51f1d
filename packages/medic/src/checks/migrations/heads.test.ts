// migrations.heads reads only the Alembic scripts (no database): real script folders written here.
import { afterAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { alembicVersions, BRANCHED, LINEAR, MERGED } from '../../../test/helpers/alembic-fixture.js'
import heads from './heads.js'

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
})
