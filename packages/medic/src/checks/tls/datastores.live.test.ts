/**
 * The tls checks on datastore targets, against real servers with openssl-made certificates:
 * a throwaway PostgreSQL with `ssl = on` (TLS after SSLRequest), a throwaway redis-server with a
 * TLS port (rediss://), and the shared PostgreSQL on 5432, whose `ssl = off` answers 'N' to an
 * SSLRequest (read-only: medic only sends the 8-byte request, nothing is changed), and a throwaway
 * MariaDB started with --ssl-cert/--ssl-key (TLS after the greeting). For a MySQL server without TLS,
 * the throwaway's own greeting is replayed by a local socket with the CLIENT_SSL bit cleared (the
 * shared MariaDB on 3306 has TLS off, but probing it would count an aborted connect there).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chownSync, chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { connect, createServer, type AddressInfo, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { createPki, type Cert, type Pki } from '../../../test/helpers/certs.js'
import { startMariaDb, type MariaDbServer } from '../../../test/helpers/mariadb-server.js'
import { startPgCluster, type PgCluster } from '../../../test/helpers/pg-cluster.js'
import { freePort } from '../../../test/helpers/ports.js'
import { ResourceCache } from '../../engine/shared.js'
import chain from './chain.js'
import expiry from './expiry.js'
import hostname from './hostname.js'
import protocol from './protocol.js'

let pki: Pki
let root: Cert
let pgCertDir: string
let cluster: PgCluster
let redis: ChildProcess
let redisPort: number
let maria: MariaDbServer
let noTlsGreeting: Server

async function waitForPort(port: number, ms = 15_000) {
  const until = Date.now() + ms
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = connect(port, '127.0.0.1', () => (s.destroy(), r(true)))
      s.on('error', () => r(false))
    })
    if (ok) return
    if (Date.now() > until) throw new Error(`port ${port} never opened`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

beforeAll(async () => {
  pki = createPki()
  root = pki.ca({ cn: 'Medic Test Root' })
  const leaf = pki.leaf(root, { cn: 'db.medic.test', sans: ['db.medic.test', 'IP:127.0.0.1'], days: 10 })
  // PostgreSQL wants its key owned by its own user and not readable by others.
  pgCertDir = mkdtempSync(join(tmpdir(), 'medic-pg-tls-'))
  const pgUid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim())
  copyFileSync(leaf.certPath, join(pgCertDir, 'server.crt'))
  copyFileSync(leaf.keyPath, join(pgCertDir, 'server.key'))
  for (const f of ['', 'server.crt', 'server.key']) chownSync(join(pgCertDir, f), pgUid, -1)
  chmodSync(join(pgCertDir, 'server.key'), 0o600)
  cluster = await startPgCluster({
    settings: { ssl: 'on', ssl_cert_file: join(pgCertDir, 'server.crt'), ssl_key_file: join(pgCertDir, 'server.key') },
  })

  redisPort = await freePort()
  redis = spawn('redis-server', [
    '--port', '0', '--tls-port', String(redisPort), '--bind', '127.0.0.1',
    '--tls-cert-file', leaf.certPath, '--tls-key-file', leaf.keyPath, '--tls-auth-clients', 'no',
    '--save', '', '--appendonly', 'no', '--dir', pki.dir,
  ], { stdio: 'ignore' })
  await waitForPort(redisPort)

  maria = await startMariaDb({ args: [`--ssl-cert=${leaf.certPath}`, `--ssl-key=${leaf.keyPath}`] })
  const greeting = await new Promise<Buffer>((resolve, reject) => {
    const s = connect(maria.port, '127.0.0.1')
    s.once('data', (b) => (s.destroy(), resolve(b)))
    s.on('error', reject)
  })
  const copy = Buffer.from(greeting)
  const capsAt = 4 + copy.indexOf(0, 5) - 4 + 1 + 4 + 8 + 1
  copy.writeUInt16LE(copy.readUInt16LE(capsAt) & ~0x800, capsAt)
  noTlsGreeting = createServer((sock) => sock.end(copy))
  await new Promise<void>((r) => noTlsGreeting.listen(0, '127.0.0.1', r))
}, 120_000)

afterAll(async () => {
  redis?.kill('SIGTERM')
  noTlsGreeting?.close()
  await maria?.stop()
  await cluster?.stop()
  rmSync(pgCertDir ?? '/nonexistent', { recursive: true, force: true })
  pki?.cleanup()
})

const pgUrl = (query: string) => `postgres://app@127.0.0.1:${cluster.port}/app?${query}`

describe('tls checks on a PostgreSQL target (SSLRequest, then TLS)', () => {
  it('sslmode=verify-full with sslrootcert: reads the certificate, expiring in 10 days, everything else fine', async () => {
    const shared = new ResourceCache()
    const target = { kind: 'postgres', url: pgUrl(`sslmode=verify-full&sslrootcert=${root.certPath}`) }
    const r = await runCheck(expiry, target, { shared })
    const f = findingOf(r, 'tls.expiring')
    expect(f?.severity).toBe('warning')
    expect(evidenceText(f)).toContain('subject: CN=db.medic.test')
    expect(f?.commands[0]).toContain(`-starttls postgres`)
    expect(r.observations['tls.protocol']).toBe('TLSv1.3')
    for (const check of [chain, hostname, protocol]) expect((await runCheck(check, target, { shared })).status, check.meta.id).toBe('ok')
    await shared.disposeAll()
  })

  it('without the CA: critical for verify-full, a warning naming the client mode for sslmode=require', async () => {
    const full = findingOf(await runCheck(chain, { kind: 'postgres', url: pgUrl('sslmode=verify-full') }), 'tls.untrusted-chain')
    expect(full?.severity).toBe('critical')
    const require = findingOf(await runCheck(chain, { kind: 'postgres', url: pgUrl('sslmode=require') }), 'tls.untrusted-chain')
    expect(require?.severity).toBe('warning')
    expect(evidenceText(require)).toContain('client verification: sslmode=require (the client encrypts but does not verify the certificate)')
  })

  it('is skipped when the URL does not ask for TLS, and errors when the server has TLS off', async () => {
    const none = await runCheck(expiry, { kind: 'postgres', url: `postgres://app@127.0.0.1:${cluster.port}/app` })
    expect(none.status).toBe('skipped')
    expect(none.reason).toContain('does not ask for TLS (sslmode=unset)')
    const off = await runCheck(expiry, { kind: 'postgres', url: 'postgres://medic@127.0.0.1:5432/postgres?sslmode=require' })
    expect(off.status).toBe('error')
    expect(off.reason).toContain("the server answered 'N' to SSLRequest: TLS is off on this PostgreSQL")
  })
})

describe('tls checks on a Redis target (rediss://)', () => {
  it('reads the certificate with the tls.ca setting', async () => {
    const r = await runCheck(expiry, { kind: 'redis', url: `rediss://127.0.0.1:${redisPort}`, tls: { ca: root.certPath } })
    expect(findingOf(r, 'tls.expiring')?.severity).toBe('warning')
    expect((await runCheck(chain, { kind: 'redis', url: `rediss://127.0.0.1:${redisPort}`, tls: { ca: root.certPath } })).status).toBe('ok')
  })

  it('reports a servername the certificate does not cover', async () => {
    const r = await runCheck(hostname, { kind: 'redis', url: `rediss://127.0.0.1:${redisPort}`, tls: { ca: root.certPath, servername: 'cache.medic.test' } })
    expect(findingOf(r, 'tls.hostname-mismatch')?.title).toBe('certificate CN=db.medic.test does not cover cache.medic.test')
  })

  it('is skipped for a plain redis:// URL', async () => {
    const r = await runCheck(expiry, { kind: 'redis', url: 'redis://127.0.0.1:6379' })
    expect(r.status).toBe('skipped')
    expect(r.reason).toContain('is not a rediss:// URL')
  })
})

describe('tls checks on a MySQL/MariaDB target (SSL request packet, then TLS)', () => {
  it('ssl-mode=VERIFY_IDENTITY with ssl-ca: reads the certificate of MariaDB', async () => {
    const shared = new ResourceCache()
    const target = { kind: 'mysql', url: `mysql://app@127.0.0.1:${maria.port}/appdb?ssl-mode=VERIFY_IDENTITY&ssl-ca=${root.certPath}` }
    const r = await runCheck(expiry, target, { shared })
    const f = findingOf(r, 'tls.expiring')
    expect(f?.severity).toBe('warning')
    expect(evidenceText(f)).toContain('subject alternative names: DNS:db.medic.test, IP Address:127.0.0.1')
    expect(f?.commands[0]).toContain('-starttls mysql')
    for (const check of [chain, hostname]) expect((await runCheck(check, target, { shared })).status, check.meta.id).toBe('ok')
    await shared.disposeAll()
  })

  it('ssl-mode=REQUIRED without the CA: untrusted chain as a warning', async () => {
    const f = findingOf(await runCheck(chain, { kind: 'mysql', url: `mysql://app@127.0.0.1:${maria.port}/appdb?ssl-mode=REQUIRED` }), 'tls.untrusted-chain')
    expect(f?.severity).toBe('warning')
    expect(f?.title).toMatch(/^the server sends only its own certificate and its issuer CN=Medic Test Root is not trusted here/)
    expect(evidenceText(f)).toContain('client verification: ssl-mode=REQUIRED (the client encrypts but does not verify the certificate)')
  })

  it('errors when the server does not offer TLS, and is skipped when the URL does not ask for it', async () => {
    const port = (noTlsGreeting.address() as AddressInfo).port
    const off = await runCheck(expiry, { kind: 'mysql', url: `mysql://app@127.0.0.1:${port}/appdb?ssl-mode=REQUIRED` })
    expect(off.status).toBe('error')
    expect(off.reason).toMatch(/the server \(.*MariaDB.*\) does not offer TLS: have_ssl is DISABLED/)
    const none = await runCheck(expiry, { kind: 'mysql', url: `mysql://app@127.0.0.1:${maria.port}/appdb` })
    expect(none.status).toBe('skipped')
  })
})
