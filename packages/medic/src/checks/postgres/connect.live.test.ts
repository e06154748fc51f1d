// postgres.connect against a throwaway cluster (test/helpers/pg-cluster.ts) and dead ports.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import check from './connect.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { blackhole, freePort } from '../../../test/helpers/ports.js'
import { execFileSync, spawnSync } from 'node:child_process'
import { chownSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { APP_PASSWORD, holdConnections, startPgCluster, withPgCluster, type PgCluster } from '../../../test/helpers/pg-cluster.js'

let c: PgCluster
beforeAll(async () => {
  c = await startPgCluster({ maxConnections: 10, reserved: 3, hba: ['host all locked 127.0.0.1/32 reject'] })
  await c.sql("CREATE ROLE locked LOGIN PASSWORD 'locked-pw-1'")
})
afterAll(async () => {
  await c?.stop()
})

describe('postgres.connect', () => {
  test('healthy: connects, no finding, records reachable and version', async () => {
    const r = await runCheck(check, { kind: 'postgres', url: c.url() }, { secrets: [APP_PASSWORD] })
    expect(r.status).toBe('ok')
    expect(r.findings).toEqual([])
    expect(r.observations['postgres.reachable']).toBe(true)
    expect(r.observations['postgres.version']).toMatch(/^PostgreSQL \d+/)
    expect(r.evidence[0].observed).toContain('as "app" to "app"')
  })

  test('wrong password: auth-failed (critical), password kind, no secret leaked', async () => {
    const r = await runCheck(check, { kind: 'postgres', url: c.url('app', 'app', 'Wr0ngSecretPw') }, { secrets: ['Wr0ngSecretPw'] })
    const f = findingOf(r, 'postgres.auth-failed')
    expect(f?.severity).toBe('critical')
    expect(evidenceText(f)).toContain('password authentication failed for role "app"')
    expect(evidenceText(f)).toContain('28P01')
    expect(r.observations['postgres.reachable']).toBe(false)
    expect(r.observations['postgres.connectError']).toBe('password')
  })

  test('unknown role: auth-failed naming the role', async () => {
    const r = await runCheck(check, { kind: 'postgres', url: c.url('ghost', 'app', 'whatever1') })
    const f = findingOf(r, 'postgres.auth-failed')
    expect(f?.severity).toBe('critical')
    // scram hides whether the role exists: PostgreSQL answers 28P01 for an unknown role too.
    expect(evidenceText(f)).toMatch(/role "ghost"/)
  })

  test('no password in the DSN while the server asks for one: auth-failed, no-password', async () => {
    const r = await runCheck(check, { kind: 'postgres', url: c.url('app', 'app', '') })
    const f = findingOf(r, 'postgres.auth-failed')
    expect(f?.severity).toBe('critical')
    expect(r.observations['postgres.connectError']).toBe('no-password')
    expect(evidenceText(f)).toContain('asked for a password for role "app" but the DSN has none')
  })

  test('pg_hba.conf rejects the role: auth-failed, no-hba-entry (28000)', async () => {
    const r = await runCheck(check, { kind: 'postgres', url: c.url('locked', 'app', 'locked-pw-1') }, { secrets: ['locked-pw-1'] })
    const f = findingOf(r, 'postgres.auth-failed')
    expect(f?.severity).toBe('critical')
    expect(r.observations['postgres.connectError']).toBe('no-hba-entry')
    expect(evidenceText(f)).toMatch(/28000: pg_hba\.conf rejects connection for host "127\.0\.0\.1", user "locked"/)
    expect(f?.fix).toContain('pg_hba.conf')
  })

  test('missing database: database-missing (critical)', async () => {
    const r = await runCheck(check, { kind: 'postgres', url: c.url('app', 'no_such_db') }, { secrets: [APP_PASSWORD] })
    const f = findingOf(r, 'postgres.database-missing')
    expect(f?.severity).toBe('critical')
    expect(evidenceText(f)).toContain('database "no_such_db" does not exist')
    expect(f?.fix).toContain('CREATE DATABASE "no_such_db"')
  })

  test('sslmode=prefer against a server without SSL falls back to plaintext, like libpq', async () => {
    const r = await runCheck(check, { kind: 'postgres', url: `${c.url()}?sslmode=prefer` }, { secrets: [APP_PASSWORD] })
    expect(r.status).toBe('ok')
    expect(r.observations['postgres.reachable']).toBe(true)
  })

  test('sslmode=require against a server without SSL: unreachable, tls (libpq meaning, no driver warning)', async () => {
    const warnings: string[] = []
    const onWarning = (w: Error) => warnings.push(w.message)
    process.on('warning', onWarning)
    const r = await runCheck(check, { kind: 'postgres', url: `${c.url()}?sslmode=require` }, { secrets: [APP_PASSWORD] })
    process.off('warning', onWarning)
    expect(warnings.filter((w) => w.includes('SSL'))).toEqual([])
    const f = findingOf(r, 'postgres.unreachable')
    expect(f?.severity).toBe('critical')
    expect(r.observations['postgres.connectError']).toBe('tls')
    expect(evidenceText(f)).toContain('The server does not support SSL connections')
    expect(f?.fix).toContain('sslmode')
  })

  test('refused port: unreachable, classified as refused', async () => {
    const port = await freePort()
    const r = await runCheck(check, { kind: 'postgres', url: `postgres://app:${APP_PASSWORD}@127.0.0.1:${port}/app` }, { secrets: [APP_PASSWORD] })
    const f = findingOf(r, 'postgres.unreachable')
    expect(f?.severity).toBe('critical')
    expect(evidenceText(f)).toContain(`connection refused: nothing listens on 127.0.0.1:${port}`)
    expect(r.observations['postgres.connectError']).toBe('refused')
    expect(f?.commands[0]).toBe(`pg_isready -h 127.0.0.1 -p ${port}`)
  })

  test('blackhole port: unreachable (timeout) reported before the deadline', async () => {
    const bh = await blackhole()
    try {
      const t0 = performance.now()
      const r = await runCheck(check, { kind: 'postgres', url: `postgres://app:x@127.0.0.1:${bh.port}/app` }, { timeoutMs: 1500 })
      expect(performance.now() - t0).toBeLessThan(2000)
      const f = findingOf(r, 'postgres.unreachable')
      expect(f?.severity).toBe('critical')
      expect(r.observations['postgres.connectError']).toBe('timeout')
      expect(evidenceText(f)).toContain('did not answer in time')
    } finally {
      await bh.close()
    }
  })

  test('an HTTP server on the port (DSN pointing at the API): unreachable, closed during the handshake', async () => {
    const { createServer } = await import('node:http')
    const srv = createServer((_q, res) => res.end('hello'))
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    try {
      const port = (srv.address() as { port: number }).port
      const r = await runCheck(check, { kind: 'postgres', url: `postgres://app:x@127.0.0.1:${port}/app` })
      const f = findingOf(r, 'postgres.unreachable')
      expect(f?.severity).toBe('critical')
      expect(r.observations['postgres.connectError']).toBe('reset')
      expect(evidenceText(f)).toContain('not PostgreSQL on that port')
    } finally {
      srv.close()
    }
  })

  test('unknown host: unreachable, host-not-found', async () => {
    const r = await runCheck(check, { kind: 'postgres', url: 'postgres://app:x@no-such-host.invalid:5432/app' })
    const f = findingOf(r, 'postgres.unreachable')
    expect(f?.severity).toBe('critical')
    // Without a reachable resolver the lookup fails with EAI_AGAIN instead: still classified as DNS.
    expect(['host-not-found', 'dns-temporary']).toContain(r.observations['postgres.connectError'])
    expect(evidenceText(f)).toMatch(/host name "no-such-host\.invalid" (does not resolve|could not be resolved)/)
  })

  test('non-reserved slots all held: a non-superuser connect is refused -> connections-saturated (critical)', async () => {
    // max_connections 10, 3 reserved: 7 app sessions leave only superuser slots.
    const held = await holdConnections(c.url(), 7)
    try {
      const r = await runCheck(check, { kind: 'postgres', url: c.url() }, { secrets: [APP_PASSWORD] })
      const f = findingOf(r, 'postgres.connections-saturated')
      expect(f?.severity).toBe('critical')
      expect(f?.title).toContain('only reserved superuser slots left')
      expect(r.observations['postgres.slots.usedPct']).toBe(100)
      expect(evidenceText(f)).toContain('53300')
      expect(evidenceText(f)).toMatch(/remaining connection slots are reserved/)
      // A superuser still gets in, and then every slot is used: "too many clients" for the next one.
      const su = await holdConnections(c.superUrl, 3)
      try {
        const r2 = await runCheck(check, { kind: 'postgres', url: c.superUrl })
        const f2 = findingOf(r2, 'postgres.connections-saturated')
        expect(f2?.severity).toBe('critical')
        expect(f2?.title).toContain('too many clients')
      } finally {
        await su.release()
      }
    } finally {
      await held.release()
    }
  })
})

describe('postgres.connect over TLS (a cluster with a self-signed certificate)', () => {
  test('sslmode=require connects (encrypted, not verified, as libpq); verify-full reports the untrusted certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medic-pg-cert-'))
    try {
      const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim())
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' })
      for (const f of ['', 'key.pem', 'cert.pem']) chownSync(join(dir, f), id('-u'), id('-g'))
      await withPgCluster({ settings: { ssl: 'on', ssl_cert_file: join(dir, 'cert.pem'), ssl_key_file: join(dir, 'key.pem') } }, async (tc) => {
        const ok = await runCheck(check, { kind: 'postgres', url: `${tc.url()}?sslmode=require` }, { secrets: [APP_PASSWORD] })
        expect(ok.status).toBe('ok')
        const bad = await runCheck(check, { kind: 'postgres', url: `${tc.url()}?sslmode=verify-full` }, { secrets: [APP_PASSWORD] })
        const f = findingOf(bad, 'postgres.unreachable')
        expect(f?.severity).toBe('critical')
        expect(bad.observations['postgres.connectError']).toBe('tls')
        expect(evidenceText(f)).toMatch(/self[- ]signed certificate/i)
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
