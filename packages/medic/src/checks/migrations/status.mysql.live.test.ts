// Live: the logbook shape (MariaDB + Alembic) on a throwaway MariaDB (test/helpers/mariadb-server.ts);
// the Alembic versions/ folder is written by the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { alembicVersions, LINEAR } from '../../../test/helpers/alembic-fixture.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { APP_PASSWORD, startMariaDb, type MariaDbServer } from '../../../test/helpers/mariadb-server.js'
import status from './status.js'

let server: MariaDbServer
const versions = alembicVersions(LINEAR)
beforeAll(async () => {
  server = await startMariaDb()
  await server.root('CREATE TABLE appdb.alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY)')
  await server.root("INSERT INTO appdb.alembic_version VALUES ('b2f0c0de0002')")
})
afterAll(async () => {
  await server?.stop()
  versions.cleanup()
})

describe('migrations.status with Alembic (live MariaDB)', () => {
  it('one revision behind: pending, with a mysql command to see it', async () => {
    const r = await runCheck(status, { kind: 'mysql', url: server.url(), migrations: { tool: 'alembic', dir: versions.dir } }, { secrets: [APP_PASSWORD] })
    const f = findingOf(r, 'migrations.pending')!
    expect(f.title).toBe('The database is 1 revision behind the code')
    expect(evidenceText(f)).toContain('database revision: b2f0c0de0002 (alembic_version)')
    expect(evidenceText(f)).toContain('pending revisions: 1: c3f0c0de0003 (003_c3f0c0de0003_add_index.py)')
    expect(f.commands[0]).toBe(`mysql -h 127.0.0.1 -P ${server.port} -u app -p appdb -e "SELECT version_num FROM alembic_version"`)
  })
})
