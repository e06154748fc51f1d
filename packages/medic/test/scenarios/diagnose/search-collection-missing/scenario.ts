/**
 * Poor search results because the collection the app searches (`docs`) does not exist: the
 * re-index wrote `docs-v2` and nobody created the alias. Qdrant cannot run here: its documented
 * answers are served locally (test/helpers/fake-qdrant.ts); so are OpenAI's (../openai.ts).
 */
import { fakeQdrant } from '../../../helpers/fake-qdrant.js'
import { api, HttpError, logsOf, type Scenario } from '../harness.js'
import { fakeOpenAI, OPENAI_KEY } from '../openai.js'

export default {
  symptom: 'search',
  fault: 'collection docs missing (only docs-v2 exists)',
  expectedTopCause: 'collection-missing',
  expectedFindings: { 'qdrant.collection-missing': 'critical', 'logs.unhandled-exception': 'critical' },
  async setup(w) {
    const [qdrant, openai] = await Promise.all([fakeQdrant({ 'docs-v2': { points: 5200, vectors: { size: 1536, distance: 'Cosine' } } }), fakeOpenAI()])
    w.onCleanup(() => Promise.all([qdrant.close(), openai.close()]))
    const app = await api(w, 'rag', {
      '/api/ask': async () => {
        const r = await fetch(`${qdrant.url}/collections/docs`)
        const body = (await r.json()) as { status?: { error?: string } }
        if (!r.ok) throw new HttpError(500, `vector search failed: ${body.status?.error ?? r.status}`, new Error(`Qdrant ${r.status}: ${body.status?.error}`))
        return { answer: '...' }
      },
    })
    await app.hit('/api/ask', 10)
    return {
      config: {
        targets: {
          vectors: { kind: 'qdrant', url: qdrant.url, collections: { docs: { size: 1536 } } },
          embeddings: { kind: 'external', preset: 'openai', url: `${openai.url}/v1`, key: '${OPENAI_API_KEY}' },
        },
        logs: logsOf(app),
      },
      env: { OPENAI_API_KEY: OPENAI_KEY },
      secrets: [OPENAI_KEY],
    }
  },
} satisfies Scenario
