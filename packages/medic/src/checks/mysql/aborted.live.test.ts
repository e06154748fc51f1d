/** mysql.aborted against a throwaway MariaDB where a client keeps logging in with a wrong password. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { ADMIN_PASSWORD, APP_PASSWORD, startMariaDb, type MariaDbServer } from '../../../test/helpers/mariadb-server.js'
import aborted from './aborted.js'

const secrets = [APP_PASSWORD, ADMIN_PASSWORD, 'old-planted-pw']
let db: MariaDbServer

beforeAll(async () => {
  db = await startMariaDb()
})
afterAll(async () => {
  await db?.stop()
})

/** A client with a stale password retrying, as an app after a credential rotation does. */
async function failLogins(n: number) {
  for (let i = 0; i < n; i += 10) {
    await Promise.all(Array.from({ length: Math.min(10, n - i) }, () => db.connect({ password: 'old-planted-pw' }).then((c) => c.end(), () => undefined)))
  }
}

describe('mysql.aborted', () => {
  it('a fresh server with a few failed logins is not judged (too few attempts)', async () => {
    await failLogins(10)
    const r = await runCheck(aborted, { kind: 'mysql', url: db.url() }, { secrets })
    expect(r.status).toBe('ok')
    expect(r.evidence[0].expected).toBe('judged from 100 attempts on (too few so far)')
    expect(Number(r.observations['mysql.abortedConnectsPct'])).toBeGreaterThan(3)
  })

  it('a client retrying with a wrong password: warning, mostly wrong password', async () => {
    await failLogins(110)
    const r = await runCheck(aborted, { kind: 'mysql', url: db.url() }, { secrets })
    const f = findingOf(r, 'mysql.aborted-connections')
    expect(f?.severity).toBe('warning')
    expect(f?.title).toMatch(/^\d+ % of MySQL\/MariaDB connection attempts failed \(120 of \d+\), mostly wrong password or unknown user$/)
    expect(evidenceText(f)).toMatch(/failed connection attempts: 120 of \d+ \(\d+ %, Aborted_connects \/ Connections\) since start/)
    expect(evidenceText(f)).toContain('Access_denied_errors: 120 (wrong password or unknown user)')
    expect(r.observations['mysql.accessDeniedErrors']).toBe(120)
  })

  it('the threshold is configurable', async () => {
    const r = await runCheck(aborted, { kind: 'mysql', url: db.url(), thresholds: { 'mysql.aborted-connections': { warningPct: 99 } } }, { secrets })
    expect(r.status).toBe('ok')
  })
})
