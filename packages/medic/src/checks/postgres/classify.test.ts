// The connect-error classifier: the codes and messages pg and Node really produce, table-driven.
import { describe, expect, test } from 'vitest'
import { classifyPgError, PG_FAILURE_RULES } from './classify.js'
import { driverUrl, endpointOf, fmtSeconds, psqlUrl, shortQuery } from './connection.js'

const ep = { host: 'db.internal', port: 5432, database: 'shop', user: 'app' }
const err = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {})

describe('classifyPgError', () => {
  const cases: [string, Error | unknown, string, string][] = [
    ['wrong password', err('password authentication failed for user "app"', '28P01'), 'postgres.auth-failed', 'password'],
    ['unknown role (trust/peer)', err('role "app" does not exist', '28000'), 'postgres.auth-failed', 'role-missing'],
    ['no pg_hba entry', err('no pg_hba.conf entry for host "10.0.0.5", user "app", database "shop", no encryption', '28000'), 'postgres.auth-failed', 'no-hba-entry'],
    ['no password in DSN', err('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'), 'postgres.auth-failed', 'no-password'],
    ['missing database', err('database "shop" does not exist', '3D000'), 'postgres.database-missing', 'database-missing'],
    ['reserved slots (PG ≤ 15)', err('remaining connection slots are reserved for non-replication superuser connections', '53300'), 'postgres.connections-saturated', 'reserved-slots'],
    ['reserved slots (PG 16)', err('remaining connection slots are reserved for roles with the SUPERUSER attribute', '53300'), 'postgres.connections-saturated', 'reserved-slots'],
    ['too many clients', err('sorry, too many clients already', '53300'), 'postgres.connections-saturated', 'too-many-clients'],
    ['role connection limit', err('too many connections for role "app"', '53300'), 'postgres.connections-saturated', 'too-many-for-role'],
    ['starting up', err('the database system is starting up', '57P03'), 'postgres.unreachable', 'starting-up'],
    ['refused', err('connect ECONNREFUSED 10.0.0.9:5432', 'ECONNREFUSED'), 'postgres.unreachable', 'refused'],
    ['refused, happy eyeballs', Object.assign(new AggregateError([err('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'), err('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')], ''), {}), 'postgres.unreachable', 'refused'],
    ['DNS not found', err('getaddrinfo ENOTFOUND db.internal', 'ENOTFOUND'), 'postgres.unreachable', 'host-not-found'],
    ['DNS temporary', err('getaddrinfo EAI_AGAIN db.internal', 'EAI_AGAIN'), 'postgres.unreachable', 'dns-temporary'],
    ['no route', err('connect EHOSTUNREACH 10.0.0.9:5432', 'EHOSTUNREACH'), 'postgres.unreachable', 'host-unreachable'],
    ['OS timeout', err('connect ETIMEDOUT 10.0.0.9:5432', 'ETIMEDOUT'), 'postgres.unreachable', 'timeout'],
    ['pg connection timeout', err('Connection terminated due to connection timeout'), 'postgres.unreachable', 'timeout'],
    ['pool timeout', err('timeout exceeded when trying to connect'), 'postgres.unreachable', 'timeout'],
    ['server without SSL', err('The server does not support SSL connections'), 'postgres.unreachable', 'tls'],
    ['self-signed cert', err('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'), 'postgres.unreachable', 'tls'],
    ['closed mid-handshake', err('Connection terminated unexpectedly'), 'postgres.unreachable', 'reset'],
    ['reset', err('read ECONNRESET', 'ECONNRESET'), 'postgres.unreachable', 'reset'],
    ['something else', err('weird'), 'postgres.unreachable', 'unknown'],
    ['not even an Error', 'boom', 'postgres.unreachable', 'unknown'],
  ]
  test.each(cases)('%s', (_name, e, finding, kind) => {
    const f = classifyPgError(e, ep)
    expect(f.finding).toBe(finding)
    expect(f.kind).toBe(kind)
    expect(f.summary.length).toBeGreaterThan(10)
    expect(f.fix.length).toBeGreaterThan(10)
  })

  test('summaries name the endpoint, not just echo the driver', () => {
    expect(classifyPgError(err('connect ECONNREFUSED 10.0.0.9:5432', 'ECONNREFUSED'), ep).summary).toBe('connection refused: nothing listens on db.internal:5432')
    expect(classifyPgError(err('x', '3D000'), ep).summary).toBe('database "shop" does not exist on db.internal:5432')
    expect(classifyPgError(err('x', '28P01'), ep).fix).toContain('URL-encode')
  })

  test('every rule can be reached (no rule shadowed by an earlier one)', () => {
    for (const rule of PG_FAILURE_RULES) {
      expect(rule.codes || rule.message || rule.orMessage, rule.kind).toBeTruthy()
    }
    expect(new Set(PG_FAILURE_RULES.map((r) => r.kind)).size).toBe(PG_FAILURE_RULES.length)
  })
})

describe('connection helpers', () => {
  test('endpointOf and psqlUrl never keep the password', () => {
    expect(endpointOf('postgres://app:s3cr%40t@db:6543/shop')).toEqual({ host: 'db', port: 6543, database: 'shop', user: 'app' })
    expect(endpointOf('postgresql://app@db')).toEqual({ host: 'db', port: 5432, database: 'app', user: 'app' })
    expect(psqlUrl('postgres://app:s3cr%40t@db:6543/shop?sslmode=require&password=x')).toBe('postgres://app@db:6543/shop?sslmode=require')
  })

  test('driverUrl gives sslmode its libpq meaning', () => {
    expect(driverUrl('postgres://app:pw@db/shop?sslmode=require')).toBe('postgres://app:pw@db/shop?sslmode=require&uselibpqcompat=true')
    expect(driverUrl('postgres://app:pw@db/shop')).toBe('postgres://app:pw@db/shop')
    expect(driverUrl('postgres://app:pw@db/shop?sslmode=prefer', 'disable')).toBe('postgres://app:pw@db/shop?sslmode=disable&uselibpqcompat=true')
  })

  test('shortQuery collapses, masks password literals and truncates', () => {
    expect(shortQuery("ALTER ROLE app PASSWORD 'hunter2'")).toBe("ALTER ROLE app PASSWORD '***'")
    expect(shortQuery('SELECT  *\n  FROM t /* c */ WHERE x = 1')).toBe('SELECT * FROM t WHERE x = 1')
    expect(shortQuery('x'.repeat(300), 20)).toHaveLength(20)
    expect(shortQuery(null)).toBe('(not visible)')
  })

  test('fmtSeconds', () => {
    expect(fmtSeconds(5)).toBe('5 s')
    expect(fmtSeconds(75)).toBe('1 min 15 s')
    expect(fmtSeconds(7300)).toBe('2 h 1 min')
  })
})
