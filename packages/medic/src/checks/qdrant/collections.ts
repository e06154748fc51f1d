/**
 * qdrant.collections: every configured collection exists and holds points. A missing collection
 * makes every search fail ("Not found: Collection `x` doesn't exist!"); an empty one makes every
 * search return nothing, which looks like bad retrieval rather than an error. With no collections
 * configured, every existing collection is checked for emptiness.
 */
import { defineCheck } from '../../engine/check.js'
import { aliasesAnswer, collectionAnswer, collectionsToInspect, curl, listText, setupOf } from './client.js'

/** Existing names close to a missing one (a renamed or versioned collection: medical_docs → medical_docs_v2). */
export function similarNames(name: string, existing: string[]): string[] {
  const n = name.toLowerCase()
  return existing.filter((e) => {
    const x = e.toLowerCase()
    return x !== n && (x.includes(n) || n.includes(x) || editDistance(x, n) <= 2)
  })
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = cur
  }
  return prev[b.length]
}

export default defineCheck({
  meta: {
    id: 'qdrant.collections',
    title: 'Qdrant collections present and filled',
    targets: ['qdrant'],
    description:
      'GET /collections/{name} for each configured collection (or every existing one when none is configured): a 404 is qdrant.collection-missing with the collections that do exist; points_count 0 (vectors_count on old servers) is qdrant.collection-empty.',
    defaults: { maxCollections: 20 },
    findings: {
      'qdrant.collection-missing': {
        title: 'A configured Qdrant collection does not exist',
        fix: 'Create the collection (run the app\'s ingestion/migration step, or PUT /collections/{name} with the right vector size), or fix the collection name in the app\'s settings.',
        commands: ['curl -s http://127.0.0.1:6333/collections'],
      },
      'qdrant.collection-empty': {
        title: 'A Qdrant collection holds no points',
        fix: 'Run the ingestion/indexing job that fills it; check its logs for embedding errors (OpenAI 401/429) and that it writes to this Qdrant and this collection name.',
        commands: ['curl -s http://127.0.0.1:6333/collections/{name}'],
      },
    },
  },
  async run(ctx, { maxCollections }) {
    const s = setupOf(ctx)
    const { names, configured, existing, truncated } = await collectionsToInspect(ctx, maxCollections)
    if (!names.length) {
      return ctx.ok({ label: 'collections', observed: 'none exist and none are configured', expected: 'configure collections: to check them' })
    }
    const answers = await Promise.all(names.map((n) => collectionAnswer(ctx, n)))
    const errors: string[] = []
    const okLines: string[] = []
    for (const a of answers) {
      const key = `qdrant.collection.${a.name}`
      ctx.observe(`${key}.exists`, a.kind === 'ok' ? true : a.kind === 'missing' ? false : null)
      if (a.kind === 'missing') {
        const aliases = await aliasesAnswer(ctx)
        const similar = similarNames(a.name, existing)
        ctx.finding('qdrant.collection-missing', {
          severity: 'critical',
          title: `Qdrant collection "${a.name}" does not exist`,
          evidence: [
            { label: `GET /collections/${a.name}`, observed: `HTTP 404: ${a.message}`, expected: 'HTTP 200' },
            { label: 'existing collections', observed: listText(existing), expected: `includes "${a.name}"` },
            ...(aliases.length ? [{ label: 'aliases', observed: aliases.join(', ') }] : []),
            ...(similar.length ? [{ label: 'similar names', observed: similar.join(', '), expected: 'the name the app uses' }] : []),
          ],
          commands: [curl(s, '/collections'), curl(s, `/collections/${a.name}`)],
        })
        continue
      }
      if (a.kind === 'error') {
        errors.push(a.message)
        continue
      }
      const { points, pointsSource } = a.info
      ctx.observe(`${key}.points`, points ?? null)
      if (points === 0) {
        ctx.finding('qdrant.collection-empty', {
          severity: 'warning',
          title: `Qdrant collection "${a.name}" is empty (0 points)`,
          evidence: [{ label: `collection "${a.name}"`, observed: `${pointsSource} 0 (status ${a.info.status}, ${a.info.segments ?? '?'} segments)`, expected: '> 0 points' }],
          commands: [curl(s, `/collections/${a.name}`)],
        })
      } else {
        okLines.push(`${a.name}: ${points ?? 'unknown'} points`)
      }
    }
    if (okLines.length) {
      ctx.ok({ label: configured ? 'configured collections' : 'collections', observed: `${okLines.join(', ')}${truncated ? ` (+${truncated} not checked)` : ''}`, expected: 'exist, > 0 points' })
    }
    // Report what was found first; an unexpected answer for one collection makes the check an error with the reason.
    if (errors.length) throw new Error(errors.join('; '))
  },
})
