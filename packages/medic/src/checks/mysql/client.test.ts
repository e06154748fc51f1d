/** Pure helpers of the mysql family: DSN parsing, masked statements, client commands, durations. */
import { describe, expect, it } from 'vitest'
import { clientCommand, duration, maskStatement, parseMysqlUrl, pct } from './client.js'

describe('parseMysqlUrl', () => {
  it('reads user, decoded password, host, port and database', () => {
    expect(parseMysqlUrl('mysql://app:p%40ss%3Aword@db.internal:3307/logbook')).toEqual({
      host: 'db.internal',
      port: 3307,
      user: 'app',
      password: 'p@ss:word',
      database: 'logbook',
    })
  })
  it('defaults the port to 3306, accepts mariadb:// and IPv6 hosts, no database', () => {
    expect(parseMysqlUrl('mariadb://app@[::1]')).toEqual({ host: '::1', port: 3306, user: 'app' })
  })
  it('maps ssl-mode and socket parameters', () => {
    expect(parseMysqlUrl('mysql://app:x@h/d?ssl-mode=REQUIRED').ssl).toEqual({ rejectUnauthorized: false })
    expect(parseMysqlUrl('mysql://app:x@h/d?ssl=true').ssl).toEqual({ rejectUnauthorized: true, verifyIdentity: true })
    expect(parseMysqlUrl('mysql://app:x@h/d?ssl-mode=VERIFY_CA&ssl-ca=/etc/ca.pem').ssl).toEqual({ rejectUnauthorized: true, caPath: '/etc/ca.pem' })
    expect(parseMysqlUrl('mysql://app:x@h/d?ssl-ca=/etc/ca.pem').ssl).toEqual({ rejectUnauthorized: true, verifyIdentity: true, caPath: '/etc/ca.pem' })
    expect(parseMysqlUrl('mysql://app:x@h/d?ssl-mode=DISABLED').ssl).toBeUndefined()
    expect(parseMysqlUrl('mysql://app:x@h/d?socket=/run/mysqld/mysqld.sock').socketPath).toBe('/run/mysqld/mysqld.sock')
  })
  it('keeps a password with a stray % as it is rather than throwing', () => {
    expect(parseMysqlUrl('mysql://app:100%@h/d').password).toBe('100%')
  })
})

describe('maskStatement', () => {
  it('masks string literals and long numbers, folds whitespace', () => {
    expect(maskStatement("UPDATE patients SET name = 'Jane Doe',\n  ssn = \"123\" WHERE id = 12345678 AND ward = 7")).toBe(
      'UPDATE patients SET name = \'?\', ssn = "?" WHERE id = ? AND ward = 7',
    )
  })
  it('handles escaped quotes and cuts long text', () => {
    expect(maskStatement("SELECT 'it''s', 'a\\'b'")).toBe("SELECT '?', '?'")
    expect(maskStatement(`SELECT ${'x, '.repeat(100)}1`, 40)).toHaveLength(40)
  })
  it('says when there is no statement', () => {
    expect(maskStatement(null)).toBe('(no statement)')
  })
})

describe('clientCommand, duration, pct', () => {
  it('builds the command a person runs, with -p and never the password', () => {
    const a = parseMysqlUrl('mysql://app:hunter2-secret@127.0.0.1:3306/appdb')
    expect(clientCommand(a, 'mariadb', 'SHOW PROCESSLIST')).toBe('mariadb -h 127.0.0.1 -P 3306 -u app -p appdb -e "SHOW PROCESSLIST"')
    expect(clientCommand(a, undefined, 'SELECT "x"')).toBe('mysql -h 127.0.0.1 -P 3306 -u app -p appdb -e "SELECT \\"x\\""')
  })
  it('formats durations and percentages', () => {
    expect([duration(0.4), duration(59), duration(60), duration(61), duration(300), duration(3600), duration(3725)]).toEqual([
      '0 s',
      '59 s',
      '1 min',
      '1 min 01 s',
      '5 min',
      '1 h',
      '1 h 02 min',
    ])
    expect([pct(1, 3), pct(151, 151), pct(1, 0)]).toEqual([33, 100, 0])
    expect(pct(1, 30)).toBe(3.3)
  })
})
