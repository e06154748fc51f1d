// postgres.connections against a throwaway cluster whose slots are really held by open sessions.
import { describe, expect, test } from 'vitest'
import check from './connections.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { APP_PASSWORD, holdConnections, usePgCluster } from '../../../test/helpers/pg-cluster.js'

// max_connections 12, 2 superuser-reserved: 10 usable slots for the app role.
const pgc = usePgCluster({ maxConnections: 12, reserved: 2 })

describe('postgres.connections', () => {
  test('healthy: a few sessions, no finding, slots observed', async () => {
    const held = await holdConnections(pgc.cluster.url(), 2)
    try {
      const r = await runCheck(check, { kind: 'postgres', url: pgc.cluster.url() }, { secrets: [APP_PASSWORD] })
      expect(r.status).toBe('ok')
      expect(r.observations['postgres.slots.usable']).toBe(10)
      expect(r.observations['postgres.slots.used']).toBe(2)
      expect(r.observations['postgres.slots.usedPct']).toBe(20)
    } finally {
      await held.release()
    }
  })

  test('8 of 10 usable slots held: warning with the raw numbers and who holds them', async () => {
    const held = await holdConnections(pgc.cluster.url(), 8)
    try {
      const r = await runCheck(check, { kind: 'postgres', url: pgc.cluster.url() }, { secrets: [APP_PASSWORD] })
      const f = findingOf(r, 'postgres.connections-saturated')
      expect(f?.severity).toBe('warning')
      const text = evidenceText(f)
      expect(text).toContain('usable slots: 8 of 10 used, 80 % (max_connections 12, 2 superuser-reserved')
      expect(text).toContain('by state: idle 8')
      expect(text).toContain('app / medic-test-holder: 8')
    } finally {
      await held.release()
    }
  })

  test('every usable slot held (medic gets in as superuser): critical; other roles hidden from app are still counted', async () => {
    const held = await holdConnections(pgc.cluster.url(), 10)
    try {
      const r = await runCheck(check, { kind: 'postgres', url: pgc.cluster.superUrl })
      const f = findingOf(r, 'postgres.connections-saturated')
      expect(f?.severity).toBe('critical')
      expect(f?.title).toContain('exhausted: 10 of 10 usable slots')
      expect(r.observations['postgres.slots.usedPct']).toBe(100)
    } finally {
      await held.release()
    }
    // Sessions of another role are counted even though a plain role cannot see their state.
    const su = await holdConnections(pgc.cluster.superUrl, 8)
    try {
      const r = await runCheck(check, { kind: 'postgres', url: pgc.cluster.url() }, { secrets: [APP_PASSWORD] })
      expect(findingOf(r, 'postgres.connections-saturated')?.severity).toBe('warning')
      expect(evidenceText(findingOf(r, 'postgres.connections-saturated'))).toContain('hidden 8')
    } finally {
      await su.release()
    }
  })
})
