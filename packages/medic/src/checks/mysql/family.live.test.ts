/**
 * The whole mysql family through the runner, as `medic check mysql` runs it: a healthy throwaway
 * MariaDB gives no warning or critical finding over ONE shared connection; a dead target gives one
 * finding (mysql.unreachable) and the other checks skip, all by the deadline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertContract } from '../../../test/helpers/check-tester.js'
import { ADMIN_PASSWORD, APP_PASSWORD, startMariaDb, type MariaDbServer } from '../../../test/helpers/mariadb-server.js'
import { blackhole, freePort } from '../../../test/helpers/ports.js'
import { configSchema } from '../../config/schema.js'
import { resolveTargets } from '../../config/resolve.js'
import { runChecks } from '../../engine/runner.js'
import { defineCheck } from '../../engine/check.js'
import { ResourceCache } from '../../engine/shared.js'
import { runCheck } from '../../../test/helpers/check-tester.js'
import { query, sessionOrSkip } from './client.js'
import { mysqlChecks } from './index.js'

let db: MariaDbServer

beforeAll(async () => {
  db = await startMariaDb()
})
afterAll(async () => {
  await db?.stop()
})

async function runFamily(url: string, timeoutMs = 5000) {
  const config = configSchema.parse({ timeoutMs, targets: { legacy: { kind: 'mysql', url } } })
  const [target] = resolveTargets(config)
  const started = performance.now()
  const results = await runChecks(
    mysqlChecks.map((check) => ({ check, target })),
    { config, timeoutMs, concurrency: 16 },
  )
  const elapsed = performance.now() - started
  for (const r of results) {
    assertContract(mysqlChecks.find((c) => c.meta.id === r.id)!, r, { secrets: [APP_PASSWORD, ADMIN_PASSWORD], elapsed, timeoutMs })
  }
  return { results, elapsed, findings: results.flatMap((r) => r.findings) }
}

async function connectionsCounter(): Promise<number> {
  const rows = (await db.root("SHOW GLOBAL STATUS LIKE 'Connections'")) as { Value: string }[]
  return Number(rows[0].Value)
}

describe('mysql family', () => {
  it('a healthy server: no warning or critical finding, every check ran, one connection for all six', async () => {
    const before = await connectionsCounter()
    const { results, findings } = await runFamily(db.url())
    const after = await connectionsCounter()
    expect(results.map((r) => `${r.id}:${r.status}`)).toEqual([
      'mysql.connect:ok',
      'mysql.connections:ok',
      'mysql.processlist:ok',
      'mysql.locks:ok',
      'mysql.aborted:ok',
      'mysql.slow-log:problem', // the slow log is off by default: info only
    ])
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([])
    expect(findings.map((f) => `${f.id}:${f.severity}`)).toEqual(['mysql.slow-queries:info'])
    // medic's one shared session, plus the root connection that read the counter afterwards.
    expect(after - before).toBe(2)
  })

  it('refused port: one finding (mysql.unreachable), the other five skip and point at mysql.connect', async () => {
    const port = await freePort()
    const { results, findings } = await runFamily(`mysql://app:${APP_PASSWORD}@127.0.0.1:${port}/appdb`)
    expect(findings.map((f) => f.id)).toEqual(['mysql.unreachable'])
    for (const r of results.slice(1)) {
      expect(r.status).toBe('skipped')
      expect(r.reason).toBe(`cannot connect: connection refused by 127.0.0.1:${port} (see mysql.connect)`)
    }
  })

  it('blackhole port: the whole family ends by the deadline (timeout + 0.5 s)', async () => {
    const hole = await blackhole()
    try {
      const { results, findings, elapsed } = await runFamily(`mysql://app:${APP_PASSWORD}@127.0.0.1:${hole.port}/appdb`, 1500)
      expect(elapsed).toBeLessThan(1500 + 500)
      expect(findings.map((f) => f.id)).toEqual(['mysql.unreachable'])
      expect(results.filter((r) => r.status === 'skipped')).toHaveLength(5)
    } finally {
      await hole.close()
    }
  })
})

describe('mysql session limits', () => {
  it('a statement that outlives the deadline is cut: the check ends by its deadline and the server drops the statement', async () => {
    // A stand-in check that runs one slow statement through the same session and query helper.
    const slow = defineCheck({
      meta: { id: 'mysql.test-slow', title: 'slow', targets: ['mysql'], description: 'test only', defaults: {}, findings: {} },
      async run(ctx) {
        const s = await sessionOrSkip(ctx)
        await query(ctx, s, 'SELECT SLEEP(20) AS medic_test_sleep')
      },
    })
    const started = performance.now()
    const r = await runCheck(slow, { kind: 'mysql', url: db.url() }, { timeoutMs: 1000, shared: new ResourceCache() })
    expect(performance.now() - started).toBeLessThan(1500)
    expect(r.status).toBe('error')
    // Whichever bound fires first: medic's deadline, or the server's max_statement_time (1 s here).
    expect(r.reason).toMatch(/timed out after 1000 ms|max_statement_time exceeded/)
    // max_statement_time (the deadline rounded up to whole seconds) ends it server-side too.
    let left = 1
    for (let i = 0; i < 40 && left > 0; i++) {
      await new Promise((res) => setTimeout(res, 100))
      const rows = (await db.root("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE '%medic_test_sleep%' AND INFO NOT LIKE '%PROCESSLIST%'")) as { n: number }[]
      left = Number(rows[0].n)
    }
    expect(left).toBe(0)
  })

  it('the session is read-only: a write through it is refused by the server', async () => {
    const write = defineCheck({
      meta: { id: 'mysql.test-write', title: 'write', targets: ['mysql'], description: 'test only', defaults: {}, findings: {} },
      async run(ctx) {
        const s = await sessionOrSkip(ctx)
        await query(ctx, s, 'CREATE TABLE appdb.medic_should_not_exist (id INT)')
      },
    })
    const r = await runCheck(write, { kind: 'mysql', url: db.url() })
    expect(r.status).toBe('error')
    expect(r.reason).toMatch(/READ ONLY transaction/i)
  })
})
