// redis.connect against throwaway redis-servers (test/helpers/redis-server.ts) and dead ports.
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import check from './connect.js'
import memory from './memory.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { blackhole, freePort } from '../../../test/helpers/ports.js'
import { startRedis, type RedisServer } from '../../../test/helpers/redis-server.js'
import type { Redis } from 'ioredis'

const PW = 'Def4ultPw-Zq81x'
const APP_PW = 'AppPw-Hk29fLw7'
const RO_PW = 'RoPw-Mm38vQp2'
let pw: RedisServer // password-only (requirepass) + ACL users
let open: RedisServer // no auth at all
beforeAll(async () => {
  ;[pw, open] = await Promise.all([
    startRedis({
      password: PW,
      aclUsers: [
        `user app on >${APP_PW} ~* &* +@all`,
        // May PING and GET but not INFO, CONFIG or SLOWLOG: the ACL user of a locked-down app.
        `user limited on >${RO_PW} ~* +ping +get +client|setname`,
        `user gone off >${APP_PW} ~* +@all`,
      ],
    }),
    startRedis({ config: { maxclients: 3 } }),
  ])
})
afterAll(async () => {
  await Promise.all([pw?.stop(), open?.stop()])
})

const secrets = [PW, APP_PW, RO_PW]

describe('redis.connect', () => {
  test('healthy, password-only auth: ok, reachable, version observed, no secret leaked', async () => {
    const r = await runCheck(check, { kind: 'redis', url: pw.url('', PW) }, { secrets })
    expect(r.status).toBe('ok')
    expect(r.findings).toEqual([])
    expect(r.observations['redis.reachable']).toBe(true)
    expect(r.observations['redis.version']).toMatch(/^\d+\.\d+/)
    expect(r.evidence[0].observed).toMatch(/^PONG in \d+ ms \(user default\)/)
  })

  test('healthy, ACL user: ok as that user', async () => {
    const r = await runCheck(check, { kind: 'redis', url: pw.url('app', APP_PW) }, { secrets })
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toContain('(user app)')
  })

  test('no password given: auth-failed NOAUTH (critical)', async () => {
    const r = await runCheck(check, { kind: 'redis', url: pw.url('', '') })
    const f = findingOf(r, 'redis.auth-failed')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toContain('NOAUTH')
    expect(evidenceText(f)).toContain('NOAUTH Authentication required')
    expect(r.observations['redis.connectFailure']).toBe('noauth')
    expect(r.observations['redis.reachable']).toBe(true)
  })

  test('wrong password: auth-failed WRONGPASS, told apart from refused; commands never carry the password', async () => {
    const r = await runCheck(check, { kind: 'redis', url: pw.url('', 'Wr0ng-Pw-77') }, { secrets: [...secrets, 'Wr0ng-Pw-77'] })
    const f = findingOf(r, 'redis.auth-failed')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toContain('WRONGPASS')
    expect(evidenceText(f)).toContain('WRONGPASS invalid username-password pair')
    expect(r.observations['redis.connectFailure']).toBe('wrongpass')
    expect(f?.commands[0]).toBe(`redis-cli -h 127.0.0.1 -p ${pw.port} --askpass PING`)
    expect(findingOf(r, 'redis.unreachable')).toBeUndefined()
  })

  test('wrong password for an ACL user, and a disabled ACL user: WRONGPASS', async () => {
    for (const url of [pw.url('app', 'nope-nope-1'), pw.url('gone', APP_PW)]) {
      const r = await runCheck(check, { kind: 'redis', url }, { secrets })
      expect(findingOf(r, 'redis.auth-failed')?.severity).toBe('critical')
      expect(r.observations['redis.connectFailure']).toBe('wrongpass')
    }
  })

  test('ACL user without permission for INFO: says so (info) and the other checks skip naming the unknown facts', async () => {
    const r = await runCheck(check, { kind: 'redis', url: pw.url('limited', RO_PW) }, { secrets })
    const f = findingOf(r, 'redis.auth-failed')
    expect(f?.severity).toBe('info')
    expect(f?.title).toBe('Redis user "limited" may not run INFO: memory, clients and persistence are unknown')
    expect(evidenceText(f)).toMatch(/INFO: NOPERM/)
    expect(evidenceText(f)).toMatch(/CONFIG GET: refused \(NOPERM.*maxclients, stop-writes-on-bgsave-error/)
    expect(r.observations['redis.infoAllowed']).toBe(false)
    const m = await runCheck(memory, { kind: 'redis', url: pw.url('limited', RO_PW) }, { secrets })
    expect(m.status).toBe('skipped')
    expect(m.reason).toMatch(/INFO refused for Redis user "limited" \(NOPERM.*\): used memory, maxmemory and the eviction policy unknown/)
  })

  test('database index out of range: the check errors saying the database does not exist; the other checks skip', async () => {
    const url = `${pw.url('', PW)}/99`
    const r = await runCheck(check, { kind: 'redis', url }, { secrets })
    expect(r.status).toBe('error')
    expect(r.findings).toEqual([])
    expect(r.reason).toContain('database 99 does not exist (databases = 16)')
    expect(r.observations['redis.reachable']).toBe(true)
    expect(r.observations['redis.connectFailure']).toBe('bad-db')
    const m = await runCheck(memory, { kind: 'redis', url }, { secrets })
    expect(m.status).toBe('skipped')
    expect(m.reason).toContain('database 99 does not exist')
  })

  test('a database in range is selected: ok, and the evidence names it', async () => {
    const r = await runCheck(check, { kind: 'redis', url: `${pw.url('app', APP_PW)}/3` }, { secrets })
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toMatch(/^PONG in \d+ ms \(user app, db 3\)/)
  })

  test('a password given to a server that needs none: ok, nothing printed by the driver, the evidence says the password is ignored', async () => {
    const warn = vi.spyOn(console, 'warn')
    const error = vi.spyOn(console, 'error')
    const log = vi.spyOn(console, 'log')
    try {
      const r = await runCheck(check, { kind: 'redis', url: open.url('', 'Unneeded-Pw-41') }, { secrets: ['Unneeded-Pw-41'] })
      expect(r.status).toBe('ok')
      expect(r.evidence.map((e) => `${e.label}: ${e.observed}`).join('\n')).toContain(
        'AUTH: a password was supplied but the default user needs none (the server ignores it)',
      )
      expect(r.observations['redis.passwordIgnored']).toBe(true)
      expect([...warn.mock.calls, ...error.mock.calls, ...log.mock.calls]).toEqual([])
    } finally {
      warn.mockRestore()
      error.mockRestore()
      log.mockRestore()
    }
  })

  test('refused port: unreachable (refused)', async () => {
    const port = await freePort()
    const r = await runCheck(check, { kind: 'redis', url: `redis://:${PW}@127.0.0.1:${port}` }, { secrets })
    const f = findingOf(r, 'redis.unreachable')
    expect(f?.severity).toBe('critical')
    expect(evidenceText(f)).toContain('connection refused: nothing listens on that port')
    expect(r.observations['redis.connectFailure']).toBe('refused')
    expect(r.observations['redis.reachable']).toBe(false)
    expect(f?.commands[0]).toBe(`redis-cli -h 127.0.0.1 -p ${port} --askpass PING`)
  })

  test('host that does not resolve: unreachable (dns)', async () => {
    const r = await runCheck(check, { kind: 'redis', url: 'redis://cache.medic-test.invalid:6379' })
    const f = findingOf(r, 'redis.unreachable')
    expect(f?.severity).toBe('critical')
    expect(evidenceText(f)).toContain('host name does not resolve')
    expect(r.observations['redis.connectFailure']).toBe('dns')
  })

  test('blackhole port: unreachable (no-answer) by the deadline, not a hang', async () => {
    const bh = await blackhole()
    try {
      const started = performance.now()
      const r = await runCheck(check, { kind: 'redis', url: `redis://127.0.0.1:${bh.port}` }, { timeoutMs: 1500 })
      expect(performance.now() - started).toBeLessThan(1500 + 300)
      expect(r.status).toBe('problem')
      const f = findingOf(r, 'redis.unreachable')
      expect(f?.severity).toBe('critical')
      expect(evidenceText(f)).toContain('port accepts TCP but nothing answered PING')
      expect(r.observations['redis.connectFailure']).toBe('no-answer')
    } finally {
      await bh.close()
    }
  })

  test('rediss:// to a plain port: unreachable within the deadline', async () => {
    const r = await runCheck(check, { kind: 'redis', url: `rediss://127.0.0.1:${open.port}`, tls: { insecure: true } }, { timeoutMs: 1500 })
    const f = findingOf(r, 'redis.unreachable')
    expect(f?.severity).toBe('critical')
    expect(r.observations['redis.connectFailure']).toBe('no-answer')
    expect(evidenceText(f)).toContain('TCP connects but the TLS handshake did not complete')
  })

  test('maxclients reached: clients-rejected (critical) from the server\'s own words, not "unreachable"', async () => {
    const held: Redis[] = []
    try {
      for (let i = 0; i < 3; i++) {
        const c = open.admin()
        c.on('error', () => {})
        await c.connect()
        await c.ping()
        held.push(c)
      }
      const r = await runCheck(check, { kind: 'redis', url: open.url() })
      const f = findingOf(r, 'redis.clients-rejected')
      expect(f?.severity).toBe('critical')
      expect(evidenceText(f)).toContain('max number of clients reached')
      expect(findingOf(r, 'redis.unreachable')).toBeUndefined()
    } finally {
      for (const c of held) c.disconnect()
    }
  })
})

describe('redis.connect over TLS (rediss://)', () => {
  let tlsServer: RedisServer | undefined
  let certDir: string
  beforeAll(async () => {
    const { mkdtempSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const { execFileSync } = await import('node:child_process')
    certDir = mkdtempSync(join(tmpdir(), 'medic-redis-tls-'))
    // A self-signed certificate valid for 127.0.0.1, used as its own CA.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')], { stdio: 'ignore' })
    tlsServer = await startRedis({ password: PW, tls: { cert: join(certDir, 'cert.pem'), key: join(certDir, 'key.pem') } })
  })
  afterAll(async () => {
    await tlsServer?.stop()
    const { rmSync } = await import('node:fs')
    if (certDir) rmSync(certDir, { recursive: true, force: true })
  })

  test('rediss:// with the CA configured: ok, and the command says --tls', async () => {
    const r = await runCheck(check, { kind: 'redis', url: tlsServer!.url('', PW), tls: { ca: `${certDir}/cert.pem` } }, { secrets })
    expect(r.status).toBe('ok')
    expect(r.observations['redis.reachable']).toBe(true)
  })

  test('rediss:// with a self-signed certificate and no CA: unreachable (tls), wrong password still told apart with insecure', async () => {
    const r = await runCheck(check, { kind: 'redis', url: tlsServer!.url('', PW) }, { secrets })
    const f = findingOf(r, 'redis.unreachable')
    expect(f?.severity).toBe('critical')
    expect(r.observations['redis.connectFailure']).toBe('tls')
    expect(evidenceText(f)).toMatch(/self[- ]signed/i)
    expect(f?.commands[0]).toBe(`redis-cli -h 127.0.0.1 -p ${tlsServer!.port} --tls --askpass PING`)
    const w = await runCheck(check, { kind: 'redis', url: tlsServer!.url('', 'Wr0ng-Pw-88'), tls: { insecure: true } }, { secrets })
    expect(findingOf(w, 'redis.auth-failed')?.title).toContain('WRONGPASS')
  })
})

describe('redis.connect while the dataset loads', () => {
  let s: RedisServer | undefined
  afterAll(async () => {
    await s?.stop()
  })

  test('LOADING: unreachable (loading) with the progress, not "refused"', async () => {
    s = await startRedis({ debug: true })
    const a = s.admin()
    a.on('error', () => {})
    await a.connect()
    await a.call('DEBUG', 'POPULATE', '20000')
    await a.save()
    // Slow the load down (about 1 s) and let the server answer other clients while it loads.
    await a.config('SET', 'key-load-delay', '50')
    await a.config('SET', 'loading-process-events-interval-bytes', '1024')
    const reload = a.call('DEBUG', 'RELOAD').catch(() => {})
    await new Promise((r) => setTimeout(r, 150))
    const r = await runCheck(check, { kind: 'redis', url: s.url() }, { timeoutMs: 1500 })
    const f = findingOf(r, 'redis.unreachable')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toBe('Redis is loading its dataset')
    expect(evidenceText(f)).toMatch(/LOADING Redis is loading the dataset in memory \([\d.]+ % loaded, about \d+ s left\)/)
    expect(r.observations['redis.connectFailure']).toBe('loading')
    await reload
    a.disconnect()
  })
})

describe('redis.connect to a server in protected mode', () => {
  let s: RedisServer | undefined
  afterAll(async () => {
    await s?.stop()
  })

  test('no password and a non-loopback client: auth-failed (DENIED, protected mode)', async () => {
    const { networkInterfaces } = await import('node:os')
    // Protected mode only refuses clients that are not on loopback: use this host's own LAN address.
    const lan = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address
    if (!lan) throw new Error('this test needs a non-loopback IPv4 address on the host')
    s = await startRedis({ bind: lan, config: { 'protected-mode': 'yes' } })
    const r = await runCheck(check, { kind: 'redis', url: `redis://${lan}:${s.port}` })
    const f = findingOf(r, 'redis.auth-failed')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toBe('Redis refuses the client (protected mode)')
    expect(evidenceText(f)).toContain(
      'error: DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface.',
    )
    expect(r.observations['redis.connectFailure']).toBe('denied')
  })
})
