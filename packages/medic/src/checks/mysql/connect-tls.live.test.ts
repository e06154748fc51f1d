/**
 * mysql.connect over TLS against a throwaway MariaDB started with a certificate from a test CA
 * (test/helpers/certs.ts): encrypted without verification, verified against the CA, and refused
 * when the client verifies against the system CAs that do not know the test CA.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPki, type Cert, type Pki } from '../../../test/helpers/certs.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { ADMIN_PASSWORD, APP_PASSWORD, startMariaDb, type MariaDbServer } from '../../../test/helpers/mariadb-server.js'
import connect from './connect.js'

const secrets = [APP_PASSWORD, ADMIN_PASSWORD]
let db: MariaDbServer
let pki: Pki
let root: Cert

beforeAll(async () => {
  pki = createPki()
  root = pki.ca({ cn: 'Medic Test MySQL CA', keyType: 'rsa' })
  const leaf = pki.leaf(root, { cn: 'localhost', sans: ['localhost', 'IP:127.0.0.1'], keyType: 'rsa' })
  db = await startMariaDb({ args: [`--ssl-cert=${leaf.certPath}`, `--ssl-key=${leaf.keyPath}`, `--ssl-ca=${root.certPath}`] })
})
afterAll(async () => {
  await db?.stop()
  pki?.cleanup()
})

describe('mysql.connect with TLS', () => {
  it('ssl-mode=REQUIRED: encrypted session, the protocol is shown', async () => {
    const r = await runCheck(connect, { kind: 'mysql', url: `${db.url()}?ssl-mode=REQUIRED` }, { secrets })
    expect(r.status).toBe('ok')
    expect(r.evidence.map((e) => e.observed).join('\n')).toMatch(/read-only, max_statement_time 5 s, thread \d+, TLSv1\.[23]/)
    expect(String(r.observations['mysql.tls'])).toMatch(/^TLSv1\.[23]$/)
  })

  it('ssl-mode=VERIFY_IDENTITY with ssl-ca naming the test CA: verified, ok', async () => {
    const r = await runCheck(connect, { kind: 'mysql', url: `${db.url()}?ssl-mode=VERIFY_IDENTITY&ssl-ca=${encodeURIComponent(root.certPath)}` }, { secrets })
    expect(r.status).toBe('ok')
  })

  it('ssl=true against the system CAs: unreachable (tls), with the TLS reason', async () => {
    const r = await runCheck(connect, { kind: 'mysql', url: `${db.url()}?ssl=true` }, { secrets })
    const f = findingOf(r, 'mysql.unreachable')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toContain(`TLS with 127.0.0.1:${db.port} failed`)
    expect(evidenceText(f)).toMatch(/TLS said: .*(self[- ]signed|unable to (get|verify)|issuer)/i)
    expect(r.observations['mysql.failure']).toBe('tls')
  })

  it('an ssl-ca file that cannot be read: the check errors and says which file', async () => {
    const r = await runCheck(connect, { kind: 'mysql', url: `${db.url()}?ssl-ca=/nonexistent/ca.pem` }, { secrets })
    expect(r.status).toBe('error')
    expect(r.reason).toContain('cannot read the ssl-ca file /nonexistent/ca.pem named in the DSN: ENOENT')
  })
})
