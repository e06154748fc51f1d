/** One request spread over three services (JSON api, logfmt worker, plain Python billing): order, gaps, failing step. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { traceRequest } from './trace.js'
import { RID, writeThreeServices } from './testing/fixtures.js'

let dir: string
let files: string[]
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'medic-trace-'))
  files = writeThreeServices(dir)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('trace in one docker compose log', () => {
  it('the services come from the compose prefixes: one file, the whole path', async () => {
    const f = join(dir, 'compose.log')
    writeFileSync(
      f,
      [
        'gateway-1  | 2026-11-22 02:00:00,100 INFO gateway: GET /api/orders request_id=req-4bf92f3577b3',
        'api-1      | 2026-11-22 02:00:00,130 INFO api: loading orders request_id=req-4bf92f3577b3',
        'worker-1   | 2026-11-22 02:00:00,150 INFO worker: unrelated job 7',
        'api-1      | 2026-11-22 02:00:01,950 ERROR api: upstream timeout after 1800ms request_id=req-4bf92f3577b3',
        'gateway-1  | 2026-11-22 02:00:01,960 WARNING gateway: 504 for GET /api/orders request_id=req-4bf92f3577b3',
      ].join('\n') + '\n',
    )
    const r = await traceRequest('req-4bf92f3577b3', { sources: [{ file: f }], cwd: dir })
    expect(r.steps.map((s) => s.service)).toEqual(['gateway', 'api', 'api', 'gateway'])
    expect(r.services).toEqual(['gateway', 'api'])
    expect(r.failingIndex).toBe(2)
  })
})

describe('trace', () => {
  it('collects the request from every source in time order, marks the gap and the failing step', async () => {
    const r = await traceRequest(RID, { sources: files.map((file) => ({ file })), cwd: dir })
    expect(r.steps.map((s) => [s.service, s.message.replace(/ \[request_id=.*\]$/, '')])).toEqual([
      ['api', 'POST /checkout received'],
      ['api', 'calling worker'],
      ['worker', 'job queued'],
      ['worker', 'charging card'],
      ['billing', 'billing.api: charge started'],
      ['billing', 'billing.api: charge failed'],
      ['api', 'request failed'],
    ])
    expect(r.services).toEqual(['api', 'worker', 'billing'])
    expect(r.failingIndex).toBe(5)
    expect(r.steps[5].exception).toBe('billing.errors.GatewayTimeout: card gateway did not answer in 2000 ms')
    // pauses of a second or more: worker → billing (2.24 s) and billing → api answering (1.05 s)
    expect(r.steps.filter((s) => s.gap).map((s) => [s.service, s.gapBeforeMs])).toEqual([['billing', 2240], ['api', 1050]])
    expect(r.durationMs).toBe(3390)
  })

  it('finds nothing for an unknown id', async () => {
    const r = await traceRequest('no-such-request', { sources: files.map((file) => ({ file })), cwd: dir })
    expect(r.steps).toHaveLength(0)
  })

  it('an id prefix matches the same events as the whole id, in JSON fields, logfmt and plain lines alike', async () => {
    const full = await traceRequest(RID, { sources: files.map((file) => ({ file })), cwd: dir })
    const prefix = await traceRequest(RID.slice(0, 5), { sources: files.map((file) => ({ file })), cwd: dir })
    expect(prefix.steps.map((s) => `${s.source}:${s.line}`)).toEqual(full.steps.map((s) => `${s.source}:${s.line}`))
    expect(prefix.steps.map((s) => s.service)).toEqual(['api', 'api', 'worker', 'worker', 'billing', 'billing', 'api'])
    expect(prefix.ids).toEqual([RID])
  })

  it('matches at the start of an id only, and lists the ids when a prefix is ambiguous', async () => {
    const f = join(dir, 'mixed.log')
    writeFileSync(
      f,
      [
        JSON.stringify({ level: 'info', time: '2026-11-22T02:00:00Z', trace_id: 'abcd1111', msg: 'one' }),
        '2026-11-22T02:00:01Z INFO request abcd2222 started',
        '2026-11-22T02:00:02Z INFO request xabcd3333 started',
        JSON.stringify({ level: 'info', time: '2026-11-22T02:00:03Z', trace_id: 'zzabcd', msg: 'not this one' }),
      ].join('\n') + '\n',
    )
    const r = await traceRequest('abcd', { sources: [{ file: f }], cwd: dir })
    expect(r.steps.map((s) => s.line).sort()).toEqual([1, 2])
    expect(r.ids.sort()).toEqual(['abcd1111', 'abcd2222'])
  })
})

