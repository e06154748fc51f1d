/**
 * Qdrant cannot run in the test environment: a local node:http server (test/helpers/fake-qdrant.ts)
 * serves Qdrant's DOCUMENTED answers for GET /collections and GET /collections/{name}, including
 * its 404 body for a missing collection and the older `vectors_count` shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { fakeHttp, type FakeServer } from '../../../test/helpers/fake-http.js'
import { collectionBody, fakeQdrant } from '../../../test/helpers/fake-qdrant.js'
import collections from './collections.js'

describe('qdrant.collections', () => {
  let q: FakeServer
  beforeAll(async () => {
    q = await fakeQdrant({
      medical_docs_v2: { points: 800 },
      chat_memory: { points: 0 },
      legacy_docs: { points: 0, legacyCounts: true },
    }, { aliases: { docs_current: 'medical_docs_v2' } })
  })
  afterAll(async () => {
    await q.close()
  })

  it('a configured collection that does not exist: critical, with the ones that do', async () => {
    const r = await runCheck(collections, { kind: 'qdrant', url: q.url, collections: { medical_docs: { size: 1536 } } })
    const f = findingOf(r, 'qdrant.collection-missing')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toBe('Qdrant collection "medical_docs" does not exist')
    const ev = evidenceText(f)
    expect(ev).toContain("GET /collections/medical_docs: HTTP 404: Not found: Collection `medical_docs` doesn't exist!")
    expect(ev).toContain('existing collections: chat_memory, legacy_docs, medical_docs_v2 (3) (expected includes "medical_docs")')
    expect(ev).toContain('aliases: docs_current → medical_docs_v2')
    expect(ev).toContain('similar names: medical_docs_v2 (expected the name the app uses)')
    expect(f?.commands).toContain(`curl -s ${q.url}/collections/medical_docs`)
    expect(r.observations['qdrant.collection.medical_docs.exists']).toBe(false)
  })

  it('points_count 0: warning', async () => {
    const r = await runCheck(collections, { kind: 'qdrant', url: q.url, collections: { chat_memory: {}, medical_docs_v2: {} } })
    const f = findingOf(r, 'qdrant.collection-empty')
    expect(f?.severity).toBe('warning')
    expect(f?.title).toBe('Qdrant collection "chat_memory" is empty (0 points)')
    expect(evidenceText(f)).toContain('points_count 0 (status green, 8 segments) (expected > 0 points)')
    expect(r.findings).toHaveLength(1)
    expect(r.evidence[0].observed).toBe('medical_docs_v2: 800 points')
    expect(r.observations['qdrant.collection.medical_docs_v2.points']).toBe(800)
  })

  it('an older server reporting only vectors_count 0 is empty too', async () => {
    const r = await runCheck(collections, { kind: 'qdrant', url: q.url, collections: { legacy_docs: {} } })
    expect(evidenceText(findingOf(r, 'qdrant.collection-empty'))).toContain('vectors_count 0')
  })

  it('with no collections configured, every existing one is checked for emptiness', async () => {
    const r = await runCheck(collections, { kind: 'qdrant', url: q.url })
    expect(r.findings.map((f) => f.id)).toEqual(['qdrant.collection-empty', 'qdrant.collection-empty'])
    expect(r.findings.map((f) => f.title).join('\n')).toMatch(/chat_memory[\s\S]*legacy_docs/)
  })

  it('a server error on one collection: the others are still reported, the check says why', async () => {
    const srv = await fakeHttp({
      'GET /collections': { body: { result: { collections: [{ name: 'a' }, { name: 'b' }] }, status: 'ok', time: 0 } },
      'GET /collections/a': { body: collectionBody({ points: 0 }) },
      'GET /collections/b': { status: 500, body: { status: { error: 'Service internal error: segment is corrupted' }, time: 0 } },
    })
    try {
      const r = await runCheck(collections, { kind: 'qdrant', url: srv.url, collections: { a: {}, b: {} } })
      expect(r.status).toBe('problem')
      expect(findingOf(r, 'qdrant.collection-empty')?.title).toContain('"a"')
      expect(r.reason).toBe('GET /collections/b answered HTTP 500: Service internal error: segment is corrupted')
    } finally {
      await srv.close()
    }
  })
})
