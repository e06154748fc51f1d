/**
 * Qdrant cannot run in the test environment: a local node:http server (test/helpers/fake-qdrant.ts)
 * serves Qdrant's DOCUMENTED GET /collections/{name} answer with config.params.vectors as a single
 * vector and as named vectors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../config/load.js'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import type { FakeServer } from '../../../test/helpers/fake-http.js'
import { fakeQdrant } from '../../../test/helpers/fake-qdrant.js'
import dimensions from './dimensions.js'
import { modelDimensions } from './embedding-models.js'

describe('qdrant.dimensions', () => {
  let q: FakeServer
  beforeAll(async () => {
    q = await fakeQdrant({
      medical_docs: { vectors: { size: 1536, distance: 'Cosine' } },
      multi: { vectors: { text: { size: 768, distance: 'Cosine' }, image: { size: 512, distance: 'Dot' } } },
    })
  })
  afterAll(async () => {
    await q.close()
  })
  const run = (collections: Record<string, unknown>) => runCheck(dimensions, { kind: 'qdrant', url: q.url, collections })

  it('model text-embedding-3-large (3072) against a 1536 collection: critical', async () => {
    const r = await run({ medical_docs: { model: 'text-embedding-3-large' } })
    const f = findingOf(r, 'qdrant.dimension-mismatch')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toBe('Qdrant collection "medical_docs" holds 1536-dim vectors, the app embeds 3072')
    expect(evidenceText(f)).toContain('collection "medical_docs" vectors: 1536 Cosine (expected 3072 (model text-embedding-3-large: 3072))')
    expect(r.observations).toMatchObject({ 'qdrant.collection.medical_docs.size': 1536, 'qdrant.collection.medical_docs.expectedSize': 3072 })
  })

  it('an explicit size wins over the model (text-embedding-3-large shortened to 1536)', async () => {
    const r = await run({ medical_docs: { model: 'text-embedding-3-large', size: 1536 } })
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toBe('medical_docs: 1536 Cosine = size 1536 (model text-embedding-3-large)')
  })

  it('named vectors: the named one is compared', async () => {
    const bad = await run({ multi: { size: 1024, vector: 'text' } })
    expect(findingOf(bad, 'qdrant.dimension-mismatch')?.title).toBe('Qdrant collection "multi" holds 768-dim vectors, the app embeds 1024')
    expect(evidenceText(findingOf(bad, 'qdrant.dimension-mismatch'))).toContain('"text" 768 Cosine, "image" 512 Dot')
    const missing = await run({ multi: { size: 768, vector: 'body' } })
    expect(findingOf(missing, 'qdrant.dimension-mismatch')?.title).toBe('Qdrant collection "multi": no vector named "body"')
    const ok = await run({ multi: { model: 'BAAI/bge-base-en-v1.5' } })
    expect(ok.status).toBe('ok')
    expect(ok.evidence[0].observed).toContain('"text" 768 Cosine = model bge-base-en-v1.5: 768')
    const none = await run({ multi: { size: 1536 } })
    expect(findingOf(none, 'qdrant.dimension-mismatch')?.title).toBe('Qdrant collection "multi": none of its 2 named vectors has size 1536')
  })

  it('a different distance is shown next to the matching size', async () => {
    const r = await run({ medical_docs: { size: 1536, distance: 'Dot' } })
    expect(r.evidence[0].observed).toContain('distance Cosine differs from the configured Dot')
  })

  it('nothing to compare: skipped with the reason', async () => {
    const r = await run({ medical_docs: {} })
    expect(r.status).toBe('skipped')
    expect(r.reason).toBe('no collection has size: or model: configured')
  })
})

describe('qdrant target config: model', () => {
  it('knows the OpenAI sizes', () => {
    expect(modelDimensions('text-embedding-ada-002')).toBe(1536)
    expect(modelDimensions('text-embedding-3-small')).toBe(1536)
    expect(modelDimensions('text-embedding-3-large')).toBe(3072)
    expect(modelDimensions('sentence-transformers/all-MiniLM-L6-v2')).toBe(384)
  })

  it('an unknown model without size is a config error at its line', () => {
    const yaml = ['targets:', '  vectors:', '    kind: qdrant', '    url: http://127.0.0.1:6333', '    collections:', '      medical_docs: { model: my-embedder }'].join('\n')
    expect(() => parseConfig(yaml, 'medic.yaml', {})).toThrow(/medic\.yaml:6 targets\.vectors\.collections\.medical_docs\.model: unknown embedding model "my-embedder": set size:/)
  })

  it('an unknown model with a size is fine', () => {
    const cfg = parseConfig('targets:\n  v: { kind: qdrant, url: "http://q:6333", collections: { d: { model: my-embedder, size: 1024 } } }\n', 'medic.yaml', {})
    expect(cfg.targets.v).toMatchObject({ collections: { d: { model: 'my-embedder', size: 1024 } } })
  })
})
