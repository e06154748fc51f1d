// postgres.xid-wraparound against a throwaway cluster whose next XID is really moved to 1 billion
// with pg_resetwal (the clog segment for that XID is created zero-filled, as the pg_resetwal docs say).
import { chownSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { describe, expect, test } from 'vitest'
import check from './xid-wraparound.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { APP_PASSWORD, usePgCluster } from '../../../test/helpers/pg-cluster.js'

// Freeze max age at its maximum so autovacuum does not freeze everything before the check runs.
const pgc = usePgCluster({ settings: { autovacuum_freeze_max_age: '2000000000', autovacuum: 'off' } })

describe('postgres.xid-wraparound', () => {
  test('healthy: a new cluster has nearly all 2.1 billion XIDs left', async () => {
    const r = await runCheck(check, { kind: 'postgres', url: pgc.cluster.url() }, { secrets: [APP_PASSWORD] })
    expect(r.status).toBe('ok')
    expect(Number(r.observations['postgres.xid.remaining'])).toBeGreaterThan(2_147_000_000)
  })

  test('next XID at 1 000 000 000 with datfrozenxid unchanged: fewer than 1.5 billion left, warning', async () => {
    const xid = 1_000_000_000
    await pgc.cluster.restart(async () => {
      await pgc.cluster.runBin('pg_resetwal', ['-x', String(xid), '-D', pgc.cluster.dataDir])
      // clog: 4 XIDs per byte, 8192-byte pages, 32 pages per segment file.
      const seg = Math.floor(xid / (4 * 8192 * 32)).toString(16).toUpperCase().padStart(4, '0')
      const file = join(pgc.cluster.dataDir, 'pg_xact', seg)
      writeFileSync(file, Buffer.alloc(8192 * 32))
      const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim())
      chownSync(file, id('-u'), id('-g'))
    })
    const r = await runCheck(check, { kind: 'postgres', url: pgc.cluster.url() }, { secrets: [APP_PASSWORD] })
    const f = findingOf(r, 'postgres.xid-wraparound')
    expect(f?.severity).toBe('warning')
    expect(evidenceText(f)).toMatch(/transactions left before wraparound: 1 14\d \d{3} \d{3} \(database \w+: age\(datfrozenxid\) 99\d \d{3} \d{3}/)
    expect(Number(r.observations['postgres.xid.remaining'])).toBeLessThan(1_500_000_000)
  })
})
