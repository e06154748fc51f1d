/** The connect-error table: driver and server codes to findings. */
import { describe, expect, it } from 'vitest'
import { classifyConnectError, KNOWN_CONNECT_ERRORS } from './errors.js'
import { parseMysqlUrl } from './client.js'
import { findingCatalog } from '../../../test/helpers/check-tester.js'

const facts = { address: parseMysqlUrl('mysql://app:pw@db:3306/logbook'), tcpOpen: false, elapsedMs: 1200, aborted: false }
const serverError = (errno: number, code: string, sqlMessage: string) => Object.assign(new Error(sqlMessage), { errno, code, sqlMessage, sqlState: 'HY000' })
const socketError = (code: string) => Object.assign(new Error(`connect ${code}`), { code, errno: -111 })

describe('classifyConnectError', () => {
  it.each([
    [socketError('ENOTFOUND'), 'mysql.unreachable', 'dns', 'host "db" does not resolve'],
    [socketError('ECONNREFUSED'), 'mysql.unreachable', 'refused', 'connection refused by db:3306'],
    [socketError('ETIMEDOUT'), 'mysql.unreachable', 'timeout', 'no answer from db:3306 within 1200 ms'],
    [socketError('EHOSTUNREACH'), 'mysql.unreachable', 'no-route', 'no route to db:3306'],
    [serverError(1045, 'ER_ACCESS_DENIED_ERROR', "Access denied for user 'app'@'10.0.0.5' (using password: YES)"), 'mysql.auth-failed', 'access-denied', 'access denied for user "app"'],
    [serverError(1130, 'ER_HOST_NOT_PRIVILEGED', "Host '10.0.0.5' is not allowed to connect"), 'mysql.auth-failed', 'host-not-allowed', 'no account allows connections from this client host'],
    [serverError(1049, 'ER_BAD_DB_ERROR', "Unknown database 'logbook'"), 'mysql.database-missing', 'database-missing', 'database "logbook" does not exist'],
    [serverError(1040, 'ER_CON_COUNT_ERROR', 'Too many connections'), 'mysql.connections-saturated', 'too-many-connections', 'too many connections'],
    [serverError(1203, 'ER_TOO_MANY_USER_CONNECTIONS', "User app already has more than 'max_user_connections' active connections"), 'mysql.connections-saturated', 'user-connection-limit', 'reached its own connection limit'],
    [serverError(1129, 'ER_HOST_IS_BLOCKED', 'Host is blocked because of many connection errors'), 'mysql.unreachable', 'host-blocked', 'max_connect_errors'],
  ])('%s', (err, finding, reason, summary) => {
    const f = classifyConnectError(err, facts)
    expect(f.finding).toBe(finding)
    expect(f.reason).toBe(reason)
    expect(f.summary).toContain(summary)
  })

  it('keeps the server message and shows the code with its number', () => {
    const f = classifyConnectError(serverError(1045, 'ER_ACCESS_DENIED_ERROR', "Access denied for user 'app'@'10.0.0.5' (using password: YES)"), facts)
    expect(f.code).toBe('ER_ACCESS_DENIED_ERROR 1045')
    expect(f.serverMessage).toContain('using password: YES')
  })

  it("medic's own deadline is a timeout; an accepted TCP connection says no greeting came", () => {
    const f = classifyConnectError(new Error('deadline of 1500 ms passed'), { ...facts, aborted: true, tcpOpen: true })
    expect(f.reason).toBe('timeout')
    expect(f.summary).toBe('db:3306 accepted the TCP connection but sent no MySQL greeting within 1200 ms')
  })

  it('an unknown error is not guessed: it is rethrown (the check ends as error with the reason)', () => {
    const weird = Object.assign(new Error('something new'), { code: 'E_SOMETHING_NEW' })
    expect(() => classifyConnectError(weird, facts)).toThrow('something new')
  })

  it('every finding of the table is in FINDINGS.md', () => {
    for (const rule of KNOWN_CONNECT_ERRORS) expect(findingCatalog().has(rule.finding)).toBe(true)
  })
})
