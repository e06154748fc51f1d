/** mysql.connect against a throwaway MariaDB (test/helpers/mariadb-server.ts) and dead addresses. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { ADMIN_PASSWORD, APP_PASSWORD, startMariaDb, type MariaDbServer } from '../../../test/helpers/mariadb-server.js'
import { blackhole, freePort } from '../../../test/helpers/ports.js'
import connect from './connect.js'
import { Redactor } from '../../engine/redact.js'

const secrets = [APP_PASSWORD, ADMIN_PASSWORD]
let db: MariaDbServer

beforeAll(async () => {
  db = await startMariaDb()
})
afterAll(async () => {
  await db?.stop()
})

describe('mysql.connect', () => {
  it('logs in to a healthy server: ok, no finding, version and session recorded', async () => {
    const r = await runCheck(connect, { kind: 'mysql', url: db.url() }, { secrets })
    expect(r.status).toBe('ok')
    expect(r.findings).toEqual([])
    expect(r.observations['mysql.reachable']).toBe(true)
    expect(r.observations['mysql.flavor']).toBe('mariadb')
    expect(String(r.observations['mysql.version'])).toMatch(/^10\.|^11\./)
    const ok = r.evidence.map((e) => e.observed).join('\n')
    expect(ok).toContain('app to database appdb on MariaDB')
    expect(ok).toContain('read-only, max_statement_time 5 s')
  })

  it('wrong password: auth-failed with the server message, password never shown', async () => {
    const r = await runCheck(connect, { kind: 'mysql', url: db.url({ password: 'wrong-planted-pw' }) }, { secrets: [...secrets, 'wrong-planted-pw'] })
    const f = findingOf(r, 'mysql.auth-failed')
    expect(f?.severity).toBe('critical')
    expect(evidenceText(f)).toContain('ER_ACCESS_DENIED_ERROR 1045')
    expect(evidenceText(f)).toContain("Access denied for user 'app'@'127.0.0.1' (using password: YES)")
    expect(f?.commands[0]).toBe(`mysql -h 127.0.0.1 -P ${db.port} -u app -p -e "SELECT CURRENT_USER()"`)
    expect(r.observations['mysql.authOk']).toBe(false)
    expect(r.observations['mysql.reachable']).toBe(true)
    expect(r.findings).toHaveLength(1)
    // Reports pass through the generic redaction: "(using password: YES)" is MySQL's wording, not a secret.
    const redactor = new Redactor()
    redactor.add('wrong-planted-pw')
    const shown = evidenceText(redactor.redactDeep(f))
    expect(shown).toContain("Access denied for user 'app'@'127.0.0.1' (using password: YES)")
    expect(shown).not.toContain('***')
  })

  it('unknown user: auth-failed too', async () => {
    const r = await runCheck(connect, { kind: 'mysql', url: `mysql://nobody:whatever-pw@127.0.0.1:${db.port}/appdb` })
    expect(findingOf(r, 'mysql.auth-failed')?.title).toContain('access denied for user "nobody"')
  })

  it('unknown database: database-missing, lists the databases the user can see', async () => {
    const r = await runCheck(connect, { kind: 'mysql', url: db.url({ user: 'admin', database: 'logbook' }) }, { secrets })
    const f = findingOf(r, 'mysql.database-missing')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toContain('database "logbook" does not exist (Database not initialized)')
    expect(evidenceText(f)).toContain('ER_BAD_DB_ERROR 1049')
    expect(evidenceText(f)).toMatch(/databases visible to admin: .*appdb/)
    expect(r.observations['mysql.databaseExists']).toBe(false)
  })

  it('a database the user has no grant on: auth-failed (MySQL does not say whether it exists)', async () => {
    const r = await runCheck(connect, { kind: 'mysql', url: db.url({ database: 'otherdb' }) }, { secrets })
    const f = findingOf(r, 'mysql.auth-failed')
    expect(evidenceText(f)).toContain('ER_DBACCESS_DENIED_ERROR 1044')
    expect(f?.fix).toContain('may also be missing')
  })

  it('ssl-mode=REQUIRED against a server without TLS: unreachable (tls)', async () => {
    const r = await runCheck(connect, { kind: 'mysql', url: `${db.url()}?ssl-mode=REQUIRED` }, { secrets })
    const f = findingOf(r, 'mysql.unreachable')
    expect(evidenceText(f)).toContain(`TLS with 127.0.0.1:${db.port} failed (HANDSHAKE_NO_SSL_SUPPORT)`)
    expect(evidenceText(f)).toContain('TLS said: Server does not support secure connection')
  })

  it('refused port: unreachable, refused, fast', async () => {
    const port = await freePort()
    const started = performance.now()
    const r = await runCheck(connect, { kind: 'mysql', url: `mysql://app:${APP_PASSWORD}@127.0.0.1:${port}/appdb` }, { secrets })
    expect(performance.now() - started).toBeLessThan(1000)
    const f = findingOf(r, 'mysql.unreachable')
    expect(f?.severity).toBe('critical')
    expect(evidenceText(f)).toContain(`connection refused by 127.0.0.1:${port} (ECONNREFUSED)`)
    expect(f?.commands).toContain(`mysqladmin -h 127.0.0.1 -P ${port} ping`)
    expect(r.observations['mysql.reachable']).toBe(false)
    expect(r.observations['mysql.failure']).toBe('refused')
  })

  it('host that does not resolve: unreachable, says the name does not resolve', async () => {
    const r = await runCheck(connect, { kind: 'mysql', url: `mysql://app:${APP_PASSWORD}@db.invalid:3306/appdb` }, { secrets })
    const f = findingOf(r, 'mysql.unreachable')
    expect(f?.title).toContain('host "db.invalid" does not resolve')
    expect(evidenceText(f)).toContain('host name: host "db.invalid" does not resolve (ENOTFOUND)')
    expect(f?.fix).toContain('docker-compose service name')
    expect(r.observations['mysql.hostResolves']).toBe(false)
    expect(r.observations['mysql.failure']).toBe('dns')
  })

  it('blackhole port: unreachable (TCP accepted, no greeting), ends by the deadline', async () => {
    const hole = await blackhole()
    try {
      const started = performance.now()
      const r = await runCheck(connect, { kind: 'mysql', url: `mysql://app:${APP_PASSWORD}@127.0.0.1:${hole.port}/appdb` }, { secrets, timeoutMs: 1500 })
      const elapsed = performance.now() - started
      expect(elapsed).toBeLessThan(1500 + 500)
      const f = findingOf(r, 'mysql.unreachable')
      expect(evidenceText(f)).toMatch(new RegExp(`127\\.0\\.0\\.1:${hole.port} accepted the TCP connection but sent no MySQL greeting within \\d+ ms`))
      expect(r.observations['mysql.failure']).toBe('timeout')
    } finally {
      await hole.close()
    }
  })
})
