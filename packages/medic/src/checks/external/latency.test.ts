/**
 * OpenAI cannot be reached from the test environment: a local node:http server serves OpenAI's
 * documented GET /v1/models answer, once promptly and once after 2.3 s (a slow provider).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { fakeHttp, type FakeServer } from '../../../test/helpers/fake-http.js'
import { freePort } from '../../../test/helpers/ports.js'
import latency from './latency.js'

const KEY = 'sk-proj-LatencyTestKey0123456789abcdefghijklmnop'
const MODELS = { object: 'list', data: [{ id: 'gpt-4o', object: 'model', created: 1715367049, owned_by: 'system' }] }

describe('external.latency', () => {
  let api: FakeServer
  beforeAll(async () => {
    api = await fakeHttp({ 'GET /fast/models': { body: MODELS }, 'GET /slow/models': { body: MODELS, delayMs: 2300 } })
  })
  afterAll(async () => {
    await api.close()
  })

  it('a 2.3 s answer is a warning with the time next to the threshold', async () => {
    const r = await runCheck(latency, { kind: 'external', preset: 'openai', url: `${api.url}/slow`, key: KEY }, { secrets: [KEY] })
    const f = findingOf(r, 'external.slow')
    expect(f?.severity).toBe('warning')
    expect(f?.title).toMatch(/^OpenAI took 2\.\d s to answer$/)
    expect(evidenceText(f)).toMatch(/answered in 2\d{3} ms \(HTTP 200.*\(expected < 2000 ms\)/)
    expect(f?.commands[0]).toContain('time_starttransfer')
  })

  it('a prompt answer is ok', async () => {
    const r = await runCheck(latency, { kind: 'external', preset: 'openai', url: `${api.url}/fast`, key: KEY }, { secrets: [KEY] })
    expect(r.status).toBe('ok')
    expect(r.observations['external.latencyMs']).toBeLessThan(2000)
  })

  it('an unreachable API is skipped here (external.connect reports it)', async () => {
    const port = await freePort()
    const r = await runCheck(latency, { kind: 'external', preset: 'openai', url: `http://127.0.0.1:${port}/v1`, key: KEY }, { secrets: [KEY] })
    expect(r.status).toBe('skipped')
    expect(r.reason).toContain('see external.connect')
  })
})
