/**
 * qdrant.dimensions: the collection's vector size equals the size of the embeddings the app writes
 * and searches with. A mismatch makes every upsert and search fail ("Wrong input: Vector dimension
 * error: expected dim: 1536, got 3072"), typically after switching embedding model
 * (ada-002/3-small: 1536 → 3-large: 3072) without recreating the collection.
 */
import { defineCheck } from '../../engine/check.js'
import { normaliseModel } from './embedding-models.js'
import { collectionAnswer, curl, existingCollections, expectedSize, setupOf, type VectorParams } from './client.js'

const fmt = (v: VectorParams) => `${v.name ? `"${v.name}" ` : ''}${v.size}${v.distance ? ` ${v.distance}` : ''}`

export default defineCheck({
  meta: {
    id: 'qdrant.dimensions',
    title: 'Qdrant vector size matches the embedding model',
    targets: ['qdrant'],
    description:
      'Compares config.params.vectors.size (or the named vector) of each configured collection with its configured size, or the dimensions of its configured model (text-embedding-3-large: 3072, text-embedding-3-small / ada-002: 1536, ...).',
    defaults: {},
    findings: {
      'qdrant.dimension-mismatch': {
        title: 'Qdrant collection vector size differs from the embedding size',
        fix: 'Use the embedding model the collection was built for, or create a new collection with the new size, re-embed and re-upload the documents, then switch the app (an alias swap avoids downtime).',
        commands: ['curl -s http://127.0.0.1:6333/collections/{name}'],
      },
    },
  },
  async run(ctx) {
    const s = setupOf(ctx)
    const specs = Object.entries(s.collections).filter(([, spec]) => expectedSize(spec) !== undefined)
    if (!specs.length) return ctx.skip('no collection has size: or model: configured')
    await existingCollections(ctx)
    const okLines: string[] = []
    for (const [name, spec] of specs) {
      const a = await collectionAnswer(ctx, name)
      if (a.kind !== 'ok') continue
      const want = expectedSize(spec)!
      const source = spec.size !== undefined ? `size ${spec.size}${spec.model ? ` (model ${spec.model})` : ''}` : `model ${normaliseModel(spec.model!)}: ${want}`
      const vectors = a.info.vectors
      ctx.observe(`qdrant.collection.${name}.expectedSize`, want)
      let chosen: VectorParams | undefined
      let problem: string | undefined
      if (spec.vector !== undefined) {
        chosen = vectors.find((v) => v.name === spec.vector)
        if (!chosen) problem = `no vector named "${spec.vector}"`
      } else if (vectors.length === 1) chosen = vectors[0]
      else if (vectors.length > 1) {
        chosen = vectors.find((v) => v.size === want)
        if (!chosen) problem = `none of its ${vectors.length} named vectors has size ${want}`
      }
      if (!vectors.length) problem = 'no dense vector parameters in config.params'
      if (chosen) ctx.observe(`qdrant.collection.${name}.size`, chosen.size)
      if (!problem && chosen && chosen.size === want) {
        const distance = spec.distance && chosen.distance && spec.distance !== chosen.distance ? `; distance ${chosen.distance} differs from the configured ${spec.distance}` : ''
        okLines.push(`${name}: ${fmt(chosen)} = ${source}${distance}`)
        continue
      }
      const actual = vectors.length ? vectors.map(fmt).join(', ') : 'none'
      ctx.finding('qdrant.dimension-mismatch', {
        severity: 'critical',
        title: chosen && !problem
          ? `Qdrant collection "${name}" holds ${chosen.size}-dim vectors, the app embeds ${want}`
          : `Qdrant collection "${name}": ${problem}`,
        evidence: [
          { label: `collection "${name}" vectors`, observed: `${actual}${problem ? ` (${problem})` : ''}`, expected: `${spec.vector ? `"${spec.vector}" ` : ''}${want} (${source})` },
        ],
        commands: [curl(s, `/collections/${name}`)],
      })
    }
    if (okLines.length) ctx.ok({ label: 'vector size', observed: okLines.join('; '), expected: 'equal to the embedding size' })
  },
})
