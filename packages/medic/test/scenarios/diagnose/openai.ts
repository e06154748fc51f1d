/**
 * OpenAI cannot be called from here: a local node:http server serves the documented answer of
 * GET /v1/models (https://platform.openai.com/docs/api-reference/models/list) with the
 * documented rate-limit headers, for the search scenarios' embedding API.
 */
import { fakeHttp, type FakeServer } from '../../helpers/fake-http.js'

export const OPENAI_KEY = 'sk-proj-Qm3xT8vW2kR9pL4nB7cJ5hF1dG6sA0zE'

export async function fakeOpenAI(): Promise<FakeServer> {
  return fakeHttp({
    'GET /v1/models': (req) =>
      req.headers.authorization === `Bearer ${OPENAI_KEY}`
        ? {
            headers: { 'x-ratelimit-limit-requests': '5000', 'x-ratelimit-remaining-requests': '4999', 'x-ratelimit-reset-requests': '12ms', 'openai-organization': 'org-medic-test', 'x-request-id': 'req_7f3a' },
            body: {
              object: 'list',
              data: [
                { id: 'text-embedding-3-large', object: 'model', created: 1705953180, owned_by: 'system' },
                { id: 'text-embedding-3-small', object: 'model', created: 1705948997, owned_by: 'system' },
              ],
            },
          }
        : { status: 401, body: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } } },
  })
}
