/**
 * Poor search results because the embedding API refuses every call: the OpenAI account is out of
 * quota (429 insufficient_quota), so the app cannot embed queries and falls back to nothing.
 * Qdrant and OpenAI cannot run here: their documented answers are served locally (the 429 body is
 * OpenAI's documented insufficient_quota error).
 */
import { fakeHttp } from '../../../helpers/fake-http.js'
import { fakeQdrant } from '../../../helpers/fake-qdrant.js'
import { api, HttpError, logsOf, type Scenario } from '../harness.js'
import { OPENAI_KEY } from '../openai.js'

const QUOTA = {
  status: 429,
  headers: { 'x-request-id': 'req_91bc' },
  body: { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } },
}

export default {
  symptom: 'search',
  fault: 'OpenAI answers 429 insufficient_quota to every call',
  expectedTopCause: 'embedding-api-failing',
  expectedFindings: { 'external.quota-exceeded': 'critical', 'logs.known-error': 'warning' },
  async setup(w) {
    const [qdrant, openai] = await Promise.all([fakeQdrant({ docs: { points: 5200, vectors: { size: 1536, distance: 'Cosine' } } }), fakeHttp({ 'GET /v1/models': QUOTA, 'POST /v1/embeddings': QUOTA })])
    w.onCleanup(() => Promise.all([qdrant.close(), openai.close()]))
    const app = await api(w, 'rag', {
      '/api/ask': async () => {
        const r = await fetch(`${openai.url}/v1/embeddings`, { method: 'POST', headers: { authorization: `Bearer ${OPENAI_KEY}` }, body: JSON.stringify({ model: 'text-embedding-3-small', input: 'how do I reset my password' }) })
        if (!r.ok) throw new HttpError(500, 'embedding failed', new Error(`RateLimitError: Error code: ${r.status} - ${await r.text()}`))
        return { answer: '...' }
      },
    })
    await app.hit('/api/ask', 10)
    return {
      config: {
        targets: {
          vectors: { kind: 'qdrant', url: qdrant.url, collections: { docs: { model: 'text-embedding-3-small' } } },
          embeddings: { kind: 'external', preset: 'openai', url: `${openai.url}/v1`, key: '${OPENAI_API_KEY}' },
        },
        logs: logsOf(app),
      },
      env: { OPENAI_API_KEY: OPENAI_KEY },
      secrets: [OPENAI_KEY],
    }
  },
} satisfies Scenario
