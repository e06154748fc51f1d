/**
 * mysql.locks against a throwaway MariaDB: one transaction holds a row lock, another UPDATE of the
 * same row waits for it in the background (innodb_lock_wait_timeout long enough to be seen).
 */
import type { Connection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { ADMIN_PASSWORD, APP_PASSWORD, startMariaDb, type MariaDbServer } from '../../../test/helpers/mariadb-server.js'
import locks from './locks.js'

const secrets = [APP_PASSWORD, ADMIN_PASSWORD]
let db: MariaDbServer

beforeAll(async () => {
  db = await startMariaDb()
  await db.root('CREATE TABLE appdb.accounts (id INT PRIMARY KEY, balance INT NOT NULL, owner VARCHAR(50)) ENGINE=InnoDB')
  await db.root("INSERT INTO appdb.accounts VALUES (1, 100, 'alice'), (2, 50, 'bob')")
})
afterAll(async () => {
  await db?.stop()
})

async function waitUntil(sql: string, ok: (rows: Record<string, unknown>[]) => boolean) {
  for (let i = 0; i < 200; i++) {
    if (ok((await db.root(sql)) as Record<string, unknown>[])) return
    // InnoDB refreshes its INNODB_TRX snapshot only when it was not read in the last 100 ms.
    await new Promise((r) => setTimeout(r, 150))
  }
  throw new Error(`condition never met: ${sql}`)
}

describe('mysql.locks', () => {
  it('no waits: ok', async () => {
    const r = await runCheck(locks, { kind: 'mysql', url: db.url() }, { secrets })
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toBe('no transaction waiting for a lock')
    expect(r.observations['mysql.lockWaits']).toBe(0)
  })

  it('an UPDATE blocked by a transaction left open: critical, waiting and blocking thread with both statements', async () => {
    const holder: Connection = await db.connect()
    const waiter: Connection = await db.connect()
    try {
      await holder.query('BEGIN')
      await holder.query("UPDATE accounts SET balance = balance - 10, owner = 'alice-secret-name' WHERE id = 1")
      await waiter.query('SET SESSION innodb_lock_wait_timeout = 30')
      const blocked = waiter.query('UPDATE accounts SET balance = balance + 5 WHERE id = 1').catch((e: Error) => e)

      // A short wait is normal contention: below minWaitSeconds (2 s) it is not reported.
      await waitUntil("SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'", (rows) => Number(rows[0].n) === 1)
      const early = await runCheck(locks, { kind: 'mysql', url: db.url() }, { secrets })
      expect(early.status).toBe('ok')

      await waitUntil(`SELECT TIME_MS AS ms FROM information_schema.PROCESSLIST WHERE ID = ${waiter.threadId}`, (rows) => Number(rows[0].ms) >= 2100)
      const r = await runCheck(locks, { kind: 'mysql', url: db.url() }, { secrets })
      const f = findingOf(r, 'mysql.lock-waits')
      expect(f?.severity).toBe('critical')
      expect(f?.title).toMatch(new RegExp(`^1 MySQL/MariaDB transaction waiting for a lock \\(longest [2-9] s\\), blocked by thread ${holder.threadId}$`))
      const text = evidenceText(f)
      expect(text).toMatch(
        new RegExp(`thread ${waiter.threadId} waits: app@127\\.0\\.0\\.1, waiting [2-9] s for a X lock on \`appdb\`\\.\`accounts\` \\(PRIMARY\\): UPDATE accounts SET balance = balance \\+ 5 WHERE id = 1`),
      )
      expect(text).toMatch(
        new RegExp(`blocked by thread ${holder.threadId}: app@127\\.0\\.0\\.1, transaction open [2-9] s, 1 rows locked, idle in transaction \\(Sleep [2-9] s\\): no statement running`),
      )
      expect(text).not.toContain('alice-secret-name')
      expect(r.observations['mysql.lockWaits']).toBe(1)
      expect(r.observations['mysql.lockWaitSource']).toBe('information_schema.INNODB_LOCK_WAITS')

      await holder.query('ROLLBACK')
      expect(await blocked).not.toBeInstanceOf(Error)
    } finally {
      holder.destroy()
      waiter.destroy()
    }
  })

  it('a blocker that is itself running a statement shows that statement', async () => {
    const holder: Connection = await db.connect()
    const waiter: Connection = await db.connect()
    try {
      await holder.query('BEGIN')
      await holder.query('SELECT * FROM accounts WHERE id = 2 FOR UPDATE')
      await waiter.query('SET SESSION innodb_lock_wait_timeout = 30')
      const blocked = waiter.query('DELETE FROM accounts WHERE id = 2').catch((e: Error) => e)
      // The holder keeps its lock and runs something slow.
      const busy = holder.query('SELECT SLEEP(20) AS busy').catch(() => undefined)
      await waitUntil(`SELECT TIME_MS AS ms FROM information_schema.PROCESSLIST WHERE ID = ${waiter.threadId}`, (rows) => Number(rows[0].ms) >= 1100)
      const r = await runCheck(locks, { kind: 'mysql', url: db.url(), thresholds: { 'mysql.locks': { minWaitSeconds: 1 } } }, { secrets })
      const text = evidenceText(findingOf(r, 'mysql.lock-waits'))
      expect(text).toContain(`thread ${waiter.threadId} waits`)
      expect(text).toContain('DELETE FROM accounts WHERE id = 2')
      expect(text).toContain(`blocked by thread ${holder.threadId}`)
      expect(text).toContain('running: SELECT SLEEP(20) AS busy')
      await db.root(`KILL QUERY ${holder.threadId}`)
      await busy
      await holder.query('ROLLBACK')
      await blocked
    } finally {
      holder.destroy()
      waiter.destroy()
    }
  })
})
