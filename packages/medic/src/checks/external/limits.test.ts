/**
 * OpenAI cannot be reached from the test environment: these tests serve OpenAI's DOCUMENTED
 * answers from a local node:http server: 429 `rate_limit_exceeded` with x-ratelimit-* and
 * retry-after headers, 429 `insufficient_quota`, and a 200 whose x-ratelimit-remaining-requests
 * is nearly used up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { fakeHttp, type FakeServer } from '../../../test/helpers/fake-http.js'
import limits from './limits.js'

const KEY = 'sk-proj-LimitsTestKey0123456789abcdefghijklmnopqrstuvwxyz'

const headers = (remainingRequests: number, remainingTokens: number) => ({
  'x-ratelimit-limit-requests': '10000',
  'x-ratelimit-limit-tokens': '2000000',
  'x-ratelimit-remaining-requests': String(remainingRequests),
  'x-ratelimit-remaining-tokens': String(remainingTokens),
  'x-ratelimit-reset-requests': '8m38s',
  'x-ratelimit-reset-tokens': '6ms',
})

describe('external.limits', () => {
  let api: FakeServer
  beforeAll(async () => {
    api = await fakeHttp({
      'GET /rate/models': {
        status: 429,
        headers: { ...headers(0, 1999000), 'retry-after': '20' },
        body: {
          error: {
            message: 'Rate limit reached for gpt-4o in organization org-abc123 on requests per min (RPM): Limit 10000, Used 10000, Requested 1. Please try again in 6ms. Visit https://platform.openai.com/account/rate-limits to learn more.',
            type: 'requests',
            param: null,
            code: 'rate_limit_exceeded',
          },
        },
      },
      'GET /quota/models': {
        status: 429,
        headers: { 'x-request-id': 'req_8f2c1e0b7a', 'openai-organization': 'acme-prod', 'openai-project': 'proj_Q1w2E3r4' },
        body: {
          error: {
            message: 'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
            type: 'insufficient_quota',
            param: null,
            code: 'insufficient_quota',
          },
        },
      },
      'GET /low/models': { status: 200, headers: headers(120, 1999000), body: { object: 'list', data: [] } },
      'GET /fine/models': { status: 200, headers: headers(9999, 1999000), body: { object: 'list', data: [] } },
      'GET /auth401/models': { status: 401, body: { error: { message: 'Incorrect API key provided: sk-proj-***. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } } },
      'GET /billing/status': { status: 402, body: { error: 'Payment required: your credit balance is too low' } },
    })
  })
  afterAll(async () => {
    await api.close()
  })
  const target = (path: string) => ({ kind: 'external', preset: 'openai', url: `${api.url}/${path}`, key: KEY })

  it('429 rate_limit_exceeded: warning with the headers and retry-after', async () => {
    const r = await runCheck(limits, target('rate'), { secrets: [KEY] })
    const f = findingOf(r, 'external.rate-limited')
    expect(f?.severity).toBe('warning')
    expect(f?.title).toBe('OpenAI is rate limiting (HTTP 429 rate_limit_exceeded)')
    const ev = evidenceText(f)
    expect(ev).toContain('rate limit (requests): 0 of 10000 left (0 %), resets in 8m38s')
    expect(ev).toContain('x-ratelimit-remaining-requests: 0')
    expect(ev).toContain('retry-after: 20')
    expect(ev).toContain('rate_limit_exceeded / requests: Rate limit reached')
    expect(findingOf(r, 'external.quota-exceeded')).toBeUndefined()
    expect(r.observations['external.rateLimited']).toBe(true)
  })

  it('429 insufficient_quota: critical quota-exceeded, not a rate limit', async () => {
    const r = await runCheck(limits, target('quota'), { secrets: [KEY] })
    const f = findingOf(r, 'external.quota-exceeded')
    expect(f?.severity).toBe('critical')
    expect(f?.title).toBe('OpenAI quota or credit exhausted (HTTP 429 insufficient_quota)')
    expect(evidenceText(f)).toContain('You exceeded your current quota')
    expect(f?.fix).toContain('Retrying does not help')
    expect(evidenceText(f)).toContain('provider context: x-request-id: req_8f2c1e0b7a, openai-organization: acme-prod, openai-project: proj_Q1w2E3r4')
    expect(findingOf(r, 'external.rate-limited')).toBeUndefined()
    expect(r.observations['external.quotaExceeded']).toBe(true)
  })

  it('200 with 1.2 % of the request window left: warning before the 429s start', async () => {
    const r = await runCheck(limits, target('low'), { secrets: [KEY] })
    const f = findingOf(r, 'external.rate-limited')
    expect(f?.severity).toBe('warning')
    expect(f?.title).toContain('120 of 10000 requests left')
    expect(evidenceText(f)).toContain('120 of 10000 left (1.2 %), resets in 8m38s')
    expect(r.observations['external.ratelimit.minRemainingPct']).toBe(1.2)
  })

  it('the lowPct threshold is configurable', async () => {
    const r = await runCheck(limits, { ...target('low'), thresholds: { 'external.rate-limited': { lowPct: 1 } } }, { secrets: [KEY] })
    expect(r.status).toBe('ok')
  })

  it('plenty left: ok, the windows shown as evidence', async () => {
    const r = await runCheck(limits, target('fine'), { secrets: [KEY] })
    expect(r.status).toBe('ok')
    expect(r.evidence.map((e) => e.observed).join('\n')).toContain('9999 of 10000 left (100 %)')
  })

  it('a refused key or no key: limits are not determined (skipped, not ok)', async () => {
    const noKey = await runCheck(limits, { kind: 'external', preset: 'openai', url: `${api.url}/auth401` })
    expect(noKey.status).toBe('skipped')
    expect(noKey.reason).toContain('needs a key')
    const refused = await runCheck(limits, { ...target('auth401') }, { secrets: [KEY] })
    expect(refused.status).toBe('skipped')
    expect(refused.reason).toBe('the key was refused (HTTP 401, see external.auth): limits not determined')
  })

  it('402 / billing message from a generic API: quota-exceeded', async () => {
    const r = await runCheck(limits, { kind: 'external', preset: 'generic', url: api.url, probePath: '/billing/status', key: KEY }, { secrets: [KEY] })
    const f = findingOf(r, 'external.quota-exceeded')
    expect(f?.severity).toBe('critical')
    expect(evidenceText(f)).toContain('credit balance is too low')
  })
})
