/** http.exposure against a real local HTTP server whose JSON answers leak credential fields. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { serve, type TestServer } from '../../../test/helpers/http-server.js'
import exposure from './exposure.js'

const HASH = '$2b$12$PlantedHashValueXYZ'
const KEY = 'PlantedApiKeyValue123'
let leaky: TestServer
let clean: TestServer

beforeAll(async () => {
  leaky = await serve({
    '/': { body: { users: [{ id: 1, email: 'a@example.test', passwordHash: HASH }, { id: 2, email: 'b@example.test', passwordHash: HASH }] } },
    '/health': { body: { status: 'ok', config: { openai: { apiKey: KEY }, jwt_secret: 'planted-jwt-secret' } } },
  })
  clean = await serve({ '/': { body: 'hello' }, '/health': { body: { status: 'ok', usage: { prompt_tokens: 3 }, hasPassword: true } } })
})
afterAll(async () => Promise.all([leaky?.close(), clean?.close()]))

describe('http.exposure', () => {
  it('lists the JSON paths of credential fields on the base URL and the health path, never the values', async () => {
    const r = await runCheck(exposure, { kind: 'http', url: leaky.url }, { secrets: [HASH, KEY, 'planted-jwt-secret'] })
    const f = findingOf(r, 'http.sensitive-fields')
    expect(f?.severity).toBe('warning')
    expect(f?.title).toBe('3 sensitive fields exposed in JSON responses')
    expect(evidenceText(f)).toContain('GET / (HTTP 200): 1 sensitive field: $.users[*].passwordHash (2 values)')
    expect(evidenceText(f)).toContain('GET /health (HTTP 200): 2 sensitive fields: $.config.openai.apiKey, $.config.jwt_secret')
    expect(r.observations['http.sensitiveFields']).toBe(3)
  })

  it('is ok when no answer carries a credential field', async () => {
    const r = await runCheck(exposure, { kind: 'http', url: clean.url })
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toBe('1 of 2 answers were JSON, none carries a credential field')
  })
})
