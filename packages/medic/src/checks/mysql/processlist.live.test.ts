/** mysql.processlist against a throwaway MariaDB running a real long `SELECT SLEEP(n)`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { ADMIN_PASSWORD, APP_PASSWORD, startMariaDb, type MariaDbServer } from '../../../test/helpers/mariadb-server.js'
import processlist from './processlist.js'

const secrets = [APP_PASSWORD, ADMIN_PASSWORD]
let db: MariaDbServer

beforeAll(async () => {
  db = await startMariaDb()
  await db.root("CREATE USER 'limited'@'%' IDENTIFIED BY 'limited-pw-1234'")
  await db.root("GRANT SELECT ON appdb.* TO 'limited'@'%'")
})
afterAll(async () => {
  await db?.stop()
})

/** Start `SELECT SLEEP(seconds)` on its own connection; resolves once the server shows it running. */
async function sleeper(seconds: number, o: { user?: string; password?: string } = {}) {
  const c = await db.connect(o)
  const running = c.query(`SELECT SLEEP(${seconds}) AS slept, 'patient-name-literal' AS tag`).catch(() => undefined)
  const id = c.threadId
  for (let i = 0; i < 100; i++) {
    const rows = (await db.root('SELECT COMMAND FROM information_schema.PROCESSLIST WHERE ID = ?', [id])) as { COMMAND: string }[]
    if (rows[0]?.COMMAND === 'Query') break
    await new Promise((r) => setTimeout(r, 20))
  }
  return {
    id,
    async stop() {
      await db.root(`KILL QUERY ${id}`).catch(() => {})
      await running
      await c.end()
    },
  }
}

describe('mysql.processlist', () => {
  it('nothing long-running: ok, medic itself is not counted', async () => {
    const r = await runCheck(processlist, { kind: 'mysql', url: db.url() }, { secrets })
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toBe('none besides medic')
    expect(r.observations['mysql.processPrivilege']).toBe(true)
    expect(r.observations['mysql.activeQueries']).toBe(0)
  })

  it('SELECT SLEEP past a 1 s threshold: warning with thread, user, time and masked statement', async () => {
    const s = await sleeper(30)
    try {
      await new Promise((r) => setTimeout(r, 1300))
      const r = await runCheck(processlist, { kind: 'mysql', url: db.url(), thresholds: { 'mysql.long-running-queries': { warningSeconds: 1, criticalSeconds: 60 } } }, { secrets })
      const f = findingOf(r, 'mysql.long-running-queries')
      expect(f?.severity).toBe('warning')
      expect(f?.title).toContain(`1 MySQL/MariaDB statement running longer than 1 s`)
      expect(f?.title).toContain(`thread ${s.id}`)
      const text = evidenceText(f)
      expect(text).toMatch(new RegExp(`thread ${s.id}: app@127\\.0\\.0\\.1 on appdb, running [1-9] s \\(Query, User sleep\\): SELECT SLEEP\\(30\\) AS slept, '\\?' AS tag`))
      expect(text).not.toContain('patient-name-literal')
      expect(f?.commands[0]).toContain(`mariadb -h 127.0.0.1 -P ${db.port} -u app -p -e "SELECT id, user, host, db, command, time, state`)
      expect(r.observations['mysql.longQueries']).toBe(1)
      expect(Number(r.observations['mysql.longestQuerySeconds'])).toBeGreaterThanOrEqual(1)

      // The same statement past the critical threshold.
      const c = await runCheck(processlist, { kind: 'mysql', url: db.url(), thresholds: { 'mysql.processlist': { warningSeconds: 0.5, criticalSeconds: 1 } } }, { secrets })
      expect(findingOf(c, 'mysql.long-running-queries')?.severity).toBe('critical')

      // Default thresholds (60 s / 5 min): not yet a problem.
      const d = await runCheck(processlist, { kind: 'mysql', url: db.url() }, { secrets })
      expect(d.status).toBe('ok')
      expect(d.evidence[0].observed).toMatch(/^1, longest [1-9] s$/)
    } finally {
      await s.stop()
    }
  })

  it('without PROCESS only the own threads are visible, and the evidence says so', async () => {
    const s = await sleeper(30)
    try {
      await new Promise((r) => setTimeout(r, 1100))
      const r = await runCheck(processlist, { kind: 'mysql', url: db.url({ user: 'limited', password: 'limited-pw-1234' }), thresholds: { 'mysql.processlist': { warningSeconds: 1 } } }, { secrets: [...secrets, 'limited-pw-1234'] })
      expect(r.status).toBe('ok')
      expect(r.observations['mysql.processPrivilege']).toBe(false)
      expect(r.evidence.map((e) => e.observed).join('\n')).toContain('only threads of limited are visible (no PROCESS privilege)')
    } finally {
      await s.stop()
    }
  })
})
