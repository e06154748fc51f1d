// postgres.replication against a throwaway primary and a real streaming standby (pg_basebackup -R).
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import check from './replication.js'
import longRunning from './long-running-queries.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { startPgCluster, startStandby, type PgCluster } from '../../../test/helpers/pg-cluster.js'

let primary: PgCluster
let standby: PgCluster
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

beforeAll(async () => {
  primary = await startPgCluster({ settings: { wal_level: 'replica', max_wal_senders: '4' } })
  standby = await startStandby(primary)
})
afterAll(async () => {
  await standby?.stop()
  await primary?.stop()
})

describe('postgres.replication', () => {
  test('healthy: primary sees one streaming standby, no lag', async () => {
    await primary.sql('CREATE TABLE beat (t timestamptz)')
    await primary.sql('INSERT INTO beat VALUES (now())')
    await sleep(300)
    const r = await runCheck(check, { kind: 'postgres', url: primary.superUrl })
    expect(r.status).toBe('ok')
    expect(r.observations['postgres.replication.role']).toBe('primary')
    expect(r.observations['postgres.replication.standbys']).toBe(1)
    expect(r.evidence[0].observed).toMatch(/^streaming, replay lag/)
    const s = await runCheck(check, { kind: 'postgres', url: standby.superUrl })
    expect(s.status).toBe('ok')
    expect(s.observations['postgres.replication.role']).toBe('standby')
  })

  test('replay paused on the standby while the primary writes: the standby, then the primary, report lag (warning)', async () => {
    await standby.sql('SELECT pg_wal_replay_pause()')
    try {
      await sleep(1200)
      await primary.sql('INSERT INTO beat VALUES (now())')
      await sleep(300)
      const r = await runCheck(check, { kind: 'postgres', url: standby.superUrl, thresholds: { 'postgres.replication': { warningSeconds: 1 } } })
      const f = findingOf(r, 'postgres.replication-lag')
      expect(f?.severity).toBe('warning')
      expect(f?.title).toContain('(replay paused)')
      expect(evidenceText(f)).toMatch(/replay lag \(this standby\): \d+ s; received [0-9A-F]+\/[0-9A-F]+, replayed [0-9A-F]+\/[0-9A-F]+ \(\d[\d ]* bytes behind\); replay is PAUSED/)
      // The primary sees it too once the standby's feedback shows replay standing still.
      await sleep(1200)
      await primary.sql('INSERT INTO beat VALUES (now())')
      await sleep(300)
      const p = await runCheck(check, { kind: 'postgres', url: primary.superUrl, thresholds: { 'postgres.replication': { warningSeconds: 1 } } })
      const fp = findingOf(p, 'postgres.replication-lag')
      expect(fp?.severity).toBe('warning')
      expect(evidenceText(fp)).toMatch(/standby walreceiver \(127\.0\.0\.1\): streaming, replay lag \d+ s, \d[\d ]* bytes behind/)
      expect(Number(p.observations['postgres.replication.lagSeconds'])).toBeGreaterThanOrEqual(1)
    } finally {
      await standby.sql('SELECT pg_wal_replay_resume()')
    }
  })

  test('long-running-queries lists the primary\'s walsender apart and does not count it', async () => {
    await sleep(1100)
    const r = await runCheck(longRunning, { kind: 'postgres', url: primary.superUrl, thresholds: { 'postgres.long-running-queries': { warningSeconds: 1 } } })
    expect(r.findings).toEqual([])
    expect(r.observations['postgres.longRunning.walsenders']).toBe(1)
    expect(r.evidence.map((e) => `${e.label}: ${e.observed}`).join('\n')).toMatch(/walsender \(not counted\): pid \d+ \S+ \d+ s/)
  })
})
