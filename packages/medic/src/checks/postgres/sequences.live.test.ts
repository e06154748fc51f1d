// postgres.sequences against a throwaway cluster with sequences really advanced near their limits.
import { describe, expect, test } from 'vitest'
import check, { sequenceUsage } from './sequences.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { APP_PASSWORD, usePgCluster } from '../../../test/helpers/pg-cluster.js'

const pgc = usePgCluster()
const target = () => ({ kind: 'postgres', url: pgc.cluster.url() })

describe('postgres.sequences', () => {
  test('healthy: a fresh serial column', async () => {
    await pgc.cluster.sql('CREATE TABLE users (id serial primary key); ALTER TABLE users OWNER TO app; INSERT INTO users DEFAULT VALUES', 'app')
    const r = await runCheck(check, target(), { secrets: [APP_PASSWORD] })
    expect(r.status).toBe('ok')
    expect(r.observations['postgres.sequences.count']).toBe(1)
  })

  test('a serial (integer) id at 1.9 billion: warning naming the integer column limit', async () => {
    await pgc.cluster.sql("SELECT setval('users_id_seq', 1900000000)", 'app')
    const r = await runCheck(check, target(), { secrets: [APP_PASSWORD] })
    const f = findingOf(r, 'postgres.sequence-exhaustion')
    expect(f?.severity).toBe('warning')
    expect(evidenceText(f)).toContain('public.users_id_seq: 88.5 % used: last value 1 900 000 000 of 2 147 483 647 (feeds users.id)')
  })

  test('a bigint sequence behind an integer column is limited by the column; over 95 %: critical', async () => {
    await pgc.cluster.sql(
      "CREATE SEQUENCE orders_seq AS bigint; CREATE TABLE orders (id int NOT NULL DEFAULT nextval('orders_seq')); ALTER SEQUENCE orders_seq OWNED BY orders.id; ALTER TABLE orders OWNER TO app; ALTER SEQUENCE orders_seq OWNER TO app; SELECT setval('orders_seq', 2100000000)",
      'app',
    )
    const r = await runCheck(check, target(), { secrets: [APP_PASSWORD] })
    const f = findingOf(r, 'postgres.sequence-exhaustion')
    expect(f?.severity).toBe('critical')
    expect(evidenceText(f)).toContain('public.orders_seq: 97.8 % used: last value 2 100 000 000 of 2 147 483 647 (limit of integer column orders.id; the sequence itself is bigint), 47 483 647 values left')
  })

  test('sequenceUsage: descending sequences count down to their minimum', () => {
    const u = sequenceUsage({ last_value: '-90', min_value: '-100', max_value: '-1', increment_by: '-1', col_type: null })
    expect(Math.round(u.pct)).toBe(90)
  })
})
