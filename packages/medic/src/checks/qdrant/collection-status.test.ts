/**
 * Qdrant cannot run in the test environment: a local node:http server (test/helpers/fake-qdrant.ts)
 * serves Qdrant's DOCUMENTED GET /collections/{name} answer with result.status green, yellow, grey
 * and red (optimizer_status {"error": ...}).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import type { FakeServer } from '../../../test/helpers/fake-http.js'
import { fakeQdrant } from '../../../test/helpers/fake-qdrant.js'
import status from './collection-status.js'

describe('qdrant.collection-status', () => {
  let q: FakeServer
  beforeAll(async () => {
    q = await fakeQdrant({
      ok_docs: { status: 'green' },
      indexing: { status: 'yellow', points: 1068786 },
      broken: { status: 'red', optimizer: 'No space left on device (os error 28)' },
      pending: { status: 'grey' },
    })
  })
  afterAll(async () => {
    await q.close()
  })
  const run = (names: string[]) => runCheck(status, { kind: 'qdrant', url: q.url, collections: Object.fromEntries(names.map((n) => [n, {}])) })

  it('yellow: warning with the optimizer state', async () => {
    const r = await run(['indexing'])
    const f = findingOf(r, 'qdrant.collection-degraded')
    expect(f?.severity).toBe('warning')
    expect(f?.title).toBe('Qdrant collection "indexing" is yellow: optimizing (indexing or merging segments)')
    expect(evidenceText(f)).toContain('yellow (optimizer_status ok, 1068786 indexed vectors, 1068786 points, 8 segments) (expected green)')
  })

  it('red: critical with the optimizer error', async () => {
    const r = await run(['broken'])
    const f = findingOf(r, 'qdrant.collection-degraded')
    expect(f?.severity).toBe('critical')
    expect(evidenceText(f)).toContain('optimizer_status error: No space left on device (os error 28)')
    expect(f?.fix).toContain('No space left on device')
  })

  it('grey: info only (optimizations pending, searches work)', async () => {
    const r = await run(['pending'])
    const f = findingOf(r, 'qdrant.collection-degraded')
    expect(f?.severity).toBe('info')
    expect(f?.title).toContain('optimizations pending')
  })

  it('green: ok; missing collections are left to qdrant.collections', async () => {
    const r = await run(['ok_docs', 'nope'])
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toBe('ok_docs: green')
    expect(r.observations['qdrant.collection.ok_docs.status']).toBe('green')
  })
})
