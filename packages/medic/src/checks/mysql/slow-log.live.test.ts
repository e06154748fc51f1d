/** mysql.slow-log against a throwaway MariaDB: the default (log off), then a real share of slow statements. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { ADMIN_PASSWORD, APP_PASSWORD, startMariaDb, type MariaDbServer } from '../../../test/helpers/mariadb-server.js'
import slowLog from './slow-log.js'

const secrets = [APP_PASSWORD, ADMIN_PASSWORD]
let db: MariaDbServer

beforeAll(async () => {
  db = await startMariaDb()
})
afterAll(async () => {
  await db?.stop()
})

describe('mysql.slow-log', () => {
  it('default server: slow log off is info (not a warning), with how to enable it', async () => {
    const r = await runCheck(slowLog, { kind: 'mysql', url: db.url() }, { secrets })
    const f = findingOf(r, 'mysql.slow-queries')
    expect(f?.severity).toBe('info')
    expect(evidenceText(f)).toContain('slow query log: off (slow_query_log = OFF)')
    expect(evidenceText(f)).toContain('long_query_time: 10 s: only statements slower than that count as slow')
    expect(f?.fix).toContain('SET GLOBAL slow_query_log = ON')
    expect(r.observations['mysql.slowLogEnabled']).toBe(false)
  })

  it('more than 5 % of 1000+ statements slower than long_query_time: warning', async () => {
    await db.root('SET GLOBAL long_query_time = 0.05')
    // 1000 quick statements and 80 slow ones (each over 50 ms), on fresh sessions that pick up long_query_time.
    const quick = await db.connect()
    for (let i = 0; i < 1000; i++) await quick.query('DO 1')
    await quick.end()
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const c = await db.connect()
        for (let i = 0; i < 10; i++) await c.query('SELECT SLEEP(0.06)')
        await c.end()
      }),
    )
    const r = await runCheck(slowLog, { kind: 'mysql', url: db.url() }, { secrets })
    const f = findingOf(r, 'mysql.slow-queries')
    expect(f?.severity).toBe('warning')
    expect(f?.title).toMatch(/^[5-9](\.\d)? % of MySQL\/MariaDB statements are slower than 0\.05 s \(80 of 1\d{3}\), and the slow log is off$/)
    expect(evidenceText(f)).toMatch(/slow statements: 80 of 1\d{3} \([5-9](\.\d)? %, Slow_queries \/ Questions, long_query_time 0\.05 s\)/)
    expect(r.observations['mysql.slowQueries']).toBe(80)
  })

  it('slow log on (file): the finding names the file to read', async () => {
    await db.root('SET GLOBAL slow_query_log = ON')
    const r = await runCheck(slowLog, { kind: 'mysql', url: db.url() }, { secrets })
    const f = findingOf(r, 'mysql.slow-queries')
    expect(f?.severity).toBe('warning')
    expect(evidenceText(f)).toMatch(/slow query log: on \(file \S+\.log\)/)
    expect(f?.commands.some((c) => c.startsWith('mysqldumpslow -s t -t 10 '))).toBe(true)
    expect(r.observations['mysql.slowLogEnabled']).toBe(true)
  })
})
