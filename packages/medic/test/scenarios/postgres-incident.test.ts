/**
 * Scenario: the whole postgres family through the runner (runChecks), against a throwaway cluster
 * put into a real incident: a worker left a transaction open holding a row lock, the checkout
 * UPDATE waits behind it, the pool holds most slots, and a large table is filtered without an
 * index. Then the same family against a port that never answers: one finding, the rest skipped,
 * all within the deadline.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { postgresChecks } from '../../src/checks/postgres/index.js'
import { configSchema } from '../../src/config/schema.js'
import { resolveTargets } from '../../src/config/resolve.js'
import { runChecks } from '../../src/engine/runner.js'
import type { CheckResult } from '../../src/engine/types.js'
import { APP_PASSWORD, holdConnections, startPgCluster, type PgCluster } from '../helpers/pg-cluster.js'
import { blackhole } from '../helpers/ports.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function runFamily(url: string, timeoutMs: number, thresholds: Record<string, Record<string, unknown>> = {}) {
  const config = configSchema.parse({ targets: { db: { kind: 'postgres', url } }, thresholds, timeoutMs })
  const [target] = resolveTargets(config)
  const plan = postgresChecks.map((check) => ({ check, target }))
  const started = performance.now()
  const results = await runChecks(plan, { config, timeoutMs, concurrency: 4 })
  return { results, elapsed: performance.now() - started }
}
const byId = (results: CheckResult[], id: string) => results.find((r) => r.id === id)!
const findings = (results: CheckResult[]) => results.flatMap((r) => r.findings)

describe('postgres family: an incident on a real cluster', () => {
  let c: PgCluster
  const cleanup: (() => Promise<unknown>)[] = []

  beforeAll(async () => {
    // 12 max_connections, 2 reserved: 10 usable slots.
    c = await startPgCluster({ maxConnections: 12, reserved: 2 })
    await c.sql(
      `CREATE TABLE orders (id int primary key, status text); INSERT INTO orders VALUES (1, 'new');
       CREATE TABLE events (id int primary key, user_id int); INSERT INTO events SELECT g, g % 100 FROM generate_series(1, 20000) g;
       ALTER TABLE orders OWNER TO app; ALTER TABLE events OWNER TO app`,
      'app',
    )
    const scanner = new pg.Client(c.url())
    await scanner.connect()
    for (let i = 0; i < 15; i++) await scanner.query('SELECT count(*) FROM events WHERE user_id = $1', [i])
    await scanner.end()

    const worker = new pg.Client({ connectionString: c.url(), application_name: 'billing-worker' })
    worker.on('error', () => {})
    await worker.connect()
    await worker.query('BEGIN')
    await worker.query("UPDATE orders SET status = 'invoiced' WHERE id = 1")
    const checkout = new pg.Client({ connectionString: c.url(), application_name: 'checkout-api' })
    checkout.on('error', () => {})
    await checkout.connect()
    const waiting = checkout.query("UPDATE orders SET status = 'paid' WHERE id = 1").catch(() => {})
    const pool = await holdConnections(c.url(), 6)
    cleanup.push(async () => {
      await worker.query('ROLLBACK').catch(() => {})
      await waiting
      await Promise.all([worker.end(), checkout.end(), pool.release()])
    })
    await sleep(1300)
  })
  afterAll(async () => {
    for (const f of cleanup) await f().catch(() => {})
    await c?.stop()
  })

  test('the runner reports the lock chain, the idle transaction, the long wait, the slots and the missing index', async () => {
    const { results } = await runFamily(c.url(), 5000, {
      'postgres.idle-in-transaction': { warningSeconds: 1 },
      'postgres.long-running-queries': { warningSeconds: 1 },
      'postgres.deadlocks': { windowMs: 300 },
    })
    const got = Object.fromEntries(findings(results).map((f) => [f.id, f.severity]))
    expect(got).toEqual({
      'postgres.connections-saturated': 'warning', // 8 of 10 usable slots
      'postgres.idle-in-transaction': 'warning',
      'postgres.long-running-queries': 'warning', // the UPDATE waiting on the lock
      'postgres.blocked-queries': 'critical',
      'postgres.missing-index': 'warning',
    })
    for (const r of results) expect(r.status, `${r.id}: ${r.reason ?? ''}`).toMatch(/^(ok|problem)$/)
    const blocked = byId(results, 'postgres.blocked-queries').findings[0]
    expect(blocked.evidence.map((e) => e.observed).join('\n')).toMatch(/\(app \/ checkout-api\) waiting \d+ s .* ← blocked by pid \d+ \(app \/ billing-worker, idle in transaction/)
    expect(byId(results, 'postgres.connections').observations['postgres.slots.usedPct']).toBe(80)
    expect(byId(results, 'postgres.connect').observations['postgres.reachable']).toBe(true)
    expect(byId(results, 'postgres.idle-in-transaction').observations['postgres.idleInTransaction.count']).toBe(1)
    expect(JSON.stringify(results)).not.toContain(APP_PASSWORD)
  })
})

describe('postgres family: a healthy cluster', () => {
  test('no warning or critical finding, every check ok', async () => {
    const c = await startPgCluster()
    try {
      const { results } = await runFamily(c.url(), 5000, { 'postgres.deadlocks': { windowMs: 300 } })
      expect(findings(results).filter((f) => f.severity !== 'info')).toEqual([])
      for (const r of results) expect(r.status, `${r.id}: ${r.reason ?? ''}`).toBe('ok')
    } finally {
      await c.stop()
    }
  })
})

describe('postgres family: a port that accepts and never answers', () => {
  test('one unreachable finding, every other check skipped pointing at postgres.connect, within the deadline', async () => {
    const bh = await blackhole()
    try {
      const { results, elapsed } = await runFamily(`postgres://app:${APP_PASSWORD}@127.0.0.1:${bh.port}/app`, 1500)
      expect(elapsed).toBeLessThan(2500)
      expect(findings(results).map((f) => [f.id, f.severity])).toEqual([['postgres.unreachable', 'critical']])
      for (const r of results.filter((r) => r.id !== 'postgres.connect')) {
        expect(r.status, r.id).toBe('skipped')
        expect(r.reason).toContain('(timeout; see postgres.connect)')
      }
      expect(JSON.stringify(results)).not.toContain(APP_PASSWORD)
    } finally {
      await bh.close()
    }
  })
})
