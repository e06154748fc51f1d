/**
 * qdrant.collection-status: the collection's own health colour. green: ready; yellow: optimizations
 * (indexing, merging) are running, searches work but may be slower (warning); red: the optimizer
 * failed and the collection needs attention (critical, with the optimizer's error). grey (Qdrant
 * >= 1.9): optimizations are pending because nothing has triggered them since a restart; searches
 * work on unindexed segments, so it is reported as info, not degraded.
 */
import { defineCheck } from '../../engine/check.js'
import type { Severity } from '../../engine/types.js'
import { collectionAnswer, collectionsToInspect, curl, setupOf, type CollectionInfo } from './client.js'

const SEVERITY: Record<string, Severity | undefined> = { yellow: 'warning', red: 'critical', grey: 'info', gray: 'info' }

function detail(i: CollectionInfo): string {
  const parts = [`optimizer_status ${i.optimizerError ? `error: ${i.optimizerError}` : i.optimizerStatus}`]
  if (i.points !== undefined && i.indexedVectors !== undefined) parts.push(`${i.indexedVectors} indexed vectors, ${i.points} points`)
  if (i.segments !== undefined) parts.push(`${i.segments} segments`)
  return parts.join(', ')
}

export default defineCheck({
  meta: {
    id: 'qdrant.collection-status',
    title: 'Qdrant collection status',
    targets: ['qdrant'],
    description:
      'Reads result.status of GET /collections/{name}: yellow (optimizing) is a warning, red (optimizer error) critical, grey (optimizations pending) info.',
    defaults: { maxCollections: 20 },
    findings: {
      'qdrant.collection-degraded': {
        title: 'A Qdrant collection is not green',
        fix: 'yellow: wait for the optimizer to finish (watch indexed_vectors_count grow), and avoid bulk uploads during peak search traffic. red: read the optimizer error in the Qdrant logs (disk full, out of memory, corrupted segment), fix it, then restart Qdrant or recreate the collection from a snapshot.',
        commands: ['curl -s http://127.0.0.1:6333/collections/{name}', 'docker logs qdrant --since 1h 2>&1 | grep -iE "error|panic|optimiz"'],
      },
    },
  },
  async run(ctx, { maxCollections }) {
    const s = setupOf(ctx)
    const { names } = await collectionsToInspect(ctx, maxCollections)
    const answers = await Promise.all(names.map((n) => collectionAnswer(ctx, n)))
    const green: string[] = []
    let looked = 0
    for (const a of answers) {
      // Missing collections and odd answers are qdrant.collections' business.
      if (a.kind !== 'ok') continue
      looked++
      const { status } = a.info
      ctx.observe(`qdrant.collection.${a.name}.status`, status)
      const severity = SEVERITY[status]
      if (!severity) {
        green.push(`${a.name}: ${status}`)
        continue
      }
      const what =
        status === 'yellow'
          ? 'optimizing (indexing or merging segments)'
          : status === 'red'
            ? 'optimizer failed'
            : 'optimizations pending (not triggered since the last restart)'
      ctx.finding('qdrant.collection-degraded', {
        severity,
        title: `Qdrant collection "${a.name}" is ${status}: ${what}`,
        evidence: [{ label: `collection "${a.name}" status`, observed: `${status} (${detail(a.info)})`, expected: 'green' }],
        fix:
          status === 'red'
            ? `The optimizer of "${a.name}" failed${a.info.optimizerError ? ` (${a.info.optimizerError})` : ''}: fix the cause in the Qdrant logs (disk space, memory, a corrupted segment), restart Qdrant, or restore the collection from a snapshot.`
            : status === 'yellow'
              ? 'Searches work but can be slower until indexing finishes: wait and watch indexed_vectors_count approach points_count; schedule bulk uploads off-peak.'
              : `Searches work on unindexed segments and may be slower: any update to the collection triggers the optimizer (or PATCH /collections/${a.name} with {"optimizers_config": {}}).`,
        commands: [curl(s, `/collections/${a.name}`)],
      })
    }
    if (green.length) ctx.ok({ label: 'collection status', observed: green.join(', '), expected: 'green' })
    if (!looked && !green.length) ctx.skip('no existing collection to look at (see qdrant.collections)')
  },
})
