/**
 * OpenAI cannot be reached from the test environment: these tests serve OpenAI's DOCUMENTED
 * answers (401 `invalid_api_key` with its error body, 403, a 200 model list) from a local
 * node:http server, with a planted key that must never appear in the result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { fakeHttp, type FakeServer } from '../../../test/helpers/fake-http.js'
import auth from './auth.js'

const KEY = `sk-proj-${'Zq7Xw4Vu1Ts8Rp5On2Ml9Kj6Ih3Gf0Ed'.repeat(5)}`.slice(0, 164)
const GOOD = 'sk-proj-GoodGoodGoodGoodGoodGoodGood1234'

/** OpenAI's documented 401 body when no key is sent. */
const NO_KEY = {
  error: {
    message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.",
    type: 'invalid_request_error',
    param: null,
    code: null,
  },
}

/** OpenAI's documented 401 body; it echoes the key masked except its last four characters. */
const invalidKey = (key: string) => ({
  error: {
    message: `Incorrect API key provided: sk-proj-${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
  },
})

describe('external.auth', () => {
  let api: FakeServer
  beforeAll(async () => {
    api = await fakeHttp({
      'GET /v1/models': (req) =>
        req.headers.authorization === `Bearer ${GOOD}`
          ? { status: 200, body: { object: 'list', data: [] } }
          : req.headers.authorization
            ? { status: 401, body: invalidKey(String(req.headers.authorization).replace(/^Bearer /, '')) }
            : { status: 401, body: NO_KEY },
      'GET /forbidden/models': {
        status: 403,
        body: { error: { message: 'You have insufficient permissions for this operation. Missing scopes: api.model.read.', type: 'invalid_request_error', param: null, code: null } },
      },
      'GET /keyed/status': (req) => (req.headers['x-api-key'] === GOOD ? { status: 200, body: { ok: true } } : { status: 401, body: { message: 'invalid api key' } }),
    })
  })
  afterAll(async () => {
    await api.close()
  })

  it('401 invalid_api_key: critical, provider code shown, key by prefix and length only', async () => {
    const r = await runCheck(auth, { kind: 'external', preset: 'openai', url: `${api.url}/v1`, key: KEY }, { secrets: [KEY, KEY.slice(-12)] })
    const f = findingOf(r, 'external.auth-failed')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toBe('OpenAI rejects the configured key (HTTP 401 invalid_api_key)')
    const ev = evidenceText(f)
    expect(ev).toContain('invalid_api_key / invalid_request_error: Incorrect API key provided: sk-proj-***')
    expect(ev).toContain('key: sk-proj-… (164 chars), sent as Authorization')
    // The provider's echo of the last four characters is scrubbed too.
    expect(ev).not.toContain(KEY.slice(-4) + '.')
    expect(ev).not.toContain('key shape')
    expect(r.observations['external.auth.ok']).toBe(false)
  })

  it('a key stored with quotes and trailing spaces: the evidence says so', async () => {
    const bad = `"${KEY}"  `
    const r = await runCheck(auth, { kind: 'external', preset: 'openai', url: `${api.url}/v1`, key: bad }, { secrets: [KEY] })
    const f = findingOf(r, 'external.auth-failed')
    expect(f?.severity).toBe('critical')
    const ev = evidenceText(f)
    expect(ev).toContain('key shape: trailing whitespace; quote characters around it')
    expect(ev).toContain('sk-proj-… (168 chars)')
    expect(f?.fix).toContain('malformed')
    expect(r.observations['external.key.malformed']).toBe(true)
  })

  it('a key with a trailing line break cannot be sent at all', async () => {
    const r = await runCheck(auth, { kind: 'external', preset: 'openai', url: `${api.url}/v1`, key: `${KEY}\n` }, { secrets: [KEY] })
    const f = findingOf(r, 'external.auth-failed')
    expect(f?.title).toContain('cannot be sent')
    expect(evidenceText(f)).toContain('a trailing line break')
  })

  it('403 is reported as access refused with the provider message', async () => {
    const r = await runCheck(auth, { kind: 'external', preset: 'openai', url: `${api.url}/forbidden`, key: KEY }, { secrets: [KEY] })
    const f = findingOf(r, 'external.auth-failed')
    expect(f?.title).toBe('OpenAI refuses the configured key access (HTTP 403)')
    expect(evidenceText(f)).toContain('Missing scopes: api.model.read')
    expect(f?.fix).toContain('permissions')
  })

  it('a good key is accepted', async () => {
    const r = await runCheck(auth, { kind: 'external', preset: 'openai', url: `${api.url}/v1`, key: GOOD }, { secrets: [GOOD] })
    expect(r.status).toBe('ok')
    expect(r.evidence.map((e) => e.observed).join('\n')).toContain('HTTP 200: key accepted')
  })

  it('generic API with a custom header (x-api-key) and probe path', async () => {
    const target = { kind: 'external', preset: 'generic', url: api.url, probePath: '/keyed/status', authHeader: 'x-api-key' }
    const ok = await runCheck(auth, { ...target, key: GOOD }, { secrets: [GOOD] })
    expect(ok.status).toBe('ok')
    const bad = await runCheck(auth, { ...target, key: 'wrong-key-0123456789' }, { secrets: ['wrong-key-0123456789'] })
    const f = findingOf(bad, 'external.auth-failed')
    expect(f?.title).toBe('API rejects the configured key (HTTP 401)')
    expect(evidenceText(f)).toContain('provider error: invalid api key')
    expect(evidenceText(f)).toContain('sent as x-api-key')
    expect(f?.commands[0]).toContain('-H "x-api-key: $API_KEY"')
  })

  it('openai preset with no key: skipped with the reason, not a finding', async () => {
    const r = await runCheck(auth, { kind: 'external', preset: 'openai', url: `${api.url}/v1` }, {})
    expect(r.status).toBe('skipped')
    expect(r.reason).toContain('preset openai needs a key')
    expect(r.reason).toContain('${OPENAI_API_KEY}')
  })
})
