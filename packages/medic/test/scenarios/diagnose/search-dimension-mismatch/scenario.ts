/**
 * Poor search results because the app switched to text-embedding-3-large (3072 dimensions) while
 * the `docs` collection holds 1536-dimension vectors: Qdrant rejects the query vectors. Qdrant and
 * OpenAI cannot run here: their documented answers are served locally.
 */
import { fakeQdrant } from '../../../helpers/fake-qdrant.js'
import { api, HttpError, logsOf, type Scenario } from '../harness.js'
import { fakeOpenAI, OPENAI_KEY } from '../openai.js'

export default {
  symptom: 'search',
  fault: 'embedding model changed to 3072 dimensions, collection has 1536',
  expectedTopCause: 'dimension-mismatch',
  expectedFindings: { 'qdrant.dimension-mismatch': 'critical', 'logs.unhandled-exception': 'critical' },
  async setup(w) {
    const [qdrant, openai] = await Promise.all([fakeQdrant({ docs: { points: 5200, vectors: { size: 1536, distance: 'Cosine' } } }), fakeOpenAI()])
    w.onCleanup(() => Promise.all([qdrant.close(), openai.close()]))
    // Qdrant's documented answer to a query vector of the wrong size.
    qdrant.routes['POST /collections/docs/points/search'] = { status: 400, body: { status: { error: 'Wrong input: Vector dimension error: expected dim: 1536, got 3072' }, time: 0.00002 } }
    const app = await api(w, 'rag', {
      '/api/ask': async () => {
        const r = await fetch(`${qdrant.url}/collections/docs/points/search`, { method: 'POST', body: JSON.stringify({ vector: new Array(3072).fill(0.01), limit: 5 }) })
        const body = (await r.json()) as { status?: { error?: string } }
        if (!r.ok) throw new HttpError(500, `vector search failed: ${body.status?.error ?? r.status}`, new Error(`Qdrant ${r.status}: ${body.status?.error}`))
        return { answer: '...' }
      },
    })
    await app.hit('/api/ask', 10)
    return {
      config: {
        targets: {
          vectors: { kind: 'qdrant', url: qdrant.url, collections: { docs: { model: 'text-embedding-3-large' } } },
          embeddings: { kind: 'external', preset: 'openai', url: `${openai.url}/v1`, key: '${OPENAI_API_KEY}' },
        },
        logs: logsOf(app),
      },
      env: { OPENAI_API_KEY: OPENAI_KEY },
      secrets: [OPENAI_KEY],
    }
  },
} satisfies Scenario
