/**
 * http.health against a real local HTTP server answering health bodies in each common shape
 * (application/health+json, Spring Boot Actuator, NestJS Terminus, flat and nested ad-hoc ones).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { serve, type TestServer } from '../../../test/helpers/http-server.js'
import { freePort } from '../../../test/helpers/ports.js'
import health from './health.js'

const PLANTED = 'Pl4nted-Db-Pa55word'
let srv: TestServer

beforeAll(async () => {
  srv = await serve({
    '/health': { body: { status: 'healthy' } },
    '/ready': { status: 503, body: { status: 'not ready', database: { status: 'unhealthy', error: `could not connect to postgres://app:${PLANTED}@db:5432/app: connection refused` } } },
    '/ready-text': { status: 503, body: 'Service Unavailable' },
    '/health+json': {
      contentType: 'application/health+json',
      body: { status: 'fail', checks: { 'postgres:connections': [{ componentId: 'pg', status: 'fail', output: 'remaining connection slots are reserved' }], 'redis:ping': [{ status: 'pass' }] } },
    },
    '/flat': { body: { status: 'ok', database: 'down', redis: 'up' } },
    '/spring': { body: { status: 'DOWN', components: { db: { status: 'DOWN', details: { error: 'java.net.ConnectException: Connection refused' } }, ping: { status: 'UP' } } } },
    '/warn': { contentType: 'application/health+json', body: { status: 'warn', checks: { 'disk:utilization': [{ status: 'warn', output: '91 % used' }] } } },
    '/terminus': {
      status: 503,
      body: { status: 'error', info: {}, error: { redis: { status: 'down', message: 'connect ECONNREFUSED 127.0.0.1:6379' } }, details: { redis: { status: 'down', message: 'connect ECONNREFUSED 127.0.0.1:6379' } } },
    },
    '/overall-down': { body: { status: 'DOWN' } },
    '/error': { status: 500, body: { error: 'Internal Server Error' } },
    '/moved': { status: 301, headers: { location: 'https://api.example.test/health' } },
  })
})
afterAll(async () => srv?.close())

const target = (...health: string[]) => ({ kind: 'http', url: srv.url, health })

describe('http.health', () => {
  it('is ok for a 2xx {"status":"healthy"}', async () => {
    const r = await runCheck(health, target('/health'))
    expect(r.status).toBe('ok')
    expect(r.findings).toEqual([])
    expect(r.evidence).toEqual([{ label: 'GET /health', observed: 'HTTP 200 OK', expected: '2xx' }])
    expect(r.observations).toMatchObject({ 'http.status': 200, 'http.healthy': true, 'http.components.failing': '' })
  })

  it('reports 503 from /ready and the failing database with its own error, secret masked', async () => {
    const r = await runCheck(health, target('/health', '/ready'), { secrets: [PLANTED] })
    const status = findingOf(r, 'http.status')
    expect(status?.severity).toBe('critical')
    expect(status?.title).toBe('GET /ready answers 503')
    expect(evidenceText(status)).toContain('GET /ready: HTTP 503 Service Unavailable (expected 2xx)')
    const comp = findingOf(r, 'http.component-unhealthy')
    expect(comp?.severity).toBe('critical')
    expect(comp?.title).toMatch(/^database reports unhealthy: could not connect to postgres:\/\/app:\*\*\*@db/)
    expect(evidenceText(comp)).toContain('database (GET /ready): unhealthy: could not connect to postgres://app:***@db:5432/app: connection refused')
    expect(r.observations).toMatchObject({ 'http.status[/health]': 200, 'http.status[/ready]': 503, 'http.healthy': false, 'http.components.failing': 'database' })
  })

  it('shows a plain-text body of a 503 and a 500', async () => {
    const r = await runCheck(health, target('/ready-text', '/error'))
    expect(r.findings.map((f) => f.title)).toEqual(['GET /ready-text answers 503', 'GET /error answers 500'])
    expect(evidenceText(r.findings[0])).toContain('body: Service Unavailable')
  })

  it('reads application/health+json checks', async () => {
    const f = findingOf(await runCheck(health, target('/health+json')), 'http.component-unhealthy')
    expect(f?.severity).toBe('critical')
    expect(evidenceText(f)).toBe('postgres:connections: fail: remaining connection slots are reserved (expected pass / up / healthy)')
  })

  it('reads a flat {"status":"ok","database":"down"} even with a 200', async () => {
    const r = await runCheck(health, target('/flat'))
    expect(findingOf(r, 'http.status')).toBeUndefined()
    expect(evidenceText(findingOf(r, 'http.component-unhealthy'))).toBe('database: down (expected pass / up / healthy)')
  })

  it('reads Spring Boot Actuator and NestJS Terminus bodies', async () => {
    const spring = findingOf(await runCheck(health, target('/spring')), 'http.component-unhealthy')
    expect(evidenceText(spring)).toBe('db: DOWN: java.net.ConnectException: Connection refused (expected pass / up / healthy)')
    const terminus = await runCheck(health, target('/terminus'))
    expect(evidenceText(findingOf(terminus, 'http.component-unhealthy'))).toBe('redis: down: connect ECONNREFUSED 127.0.0.1:6379 (expected pass / up / healthy)')
    expect(evidenceText(findingOf(terminus, 'http.status'))).toContain('failing components: redis down: connect ECONNREFUSED 127.0.0.1:6379')
  })

  it('reports a warn component as a warning and an overall DOWN with no component', async () => {
    expect(findingOf(await runCheck(health, target('/warn')), 'http.component-unhealthy')?.severity).toBe('warning')
    const down = findingOf(await runCheck(health, target('/overall-down')), 'http.component-unhealthy')
    expect(down?.severity).toBe('critical')
    expect(down?.title).toBe('health endpoint reports DOWN')
    expect(evidenceText(down)).toContain('DOWN (the body names no failing component)')
  })

  it('reports a missing health route as a warning and a redirect with its location', async () => {
    const missing = findingOf(await runCheck(health, target('/nope')), 'http.status')
    expect(missing?.severity).toBe('warning')
    expect(missing?.title).toBe('no health endpoint at /nope (404)')
    const moved = findingOf(await runCheck(health, target('/moved')), 'http.status')
    expect(evidenceText(moved)).toContain('redirects to: https://api.example.test/health')
  })

  it('is skipped, not a finding, when the target is unreachable (http.reachable reports it)', async () => {
    const r = await runCheck(health, { kind: 'http', url: `http://127.0.0.1:${await freePort()}` })
    expect(r.status).toBe('skipped')
    expect(r.reason).toMatch(/unreachable \(refused\) \(see http.reachable\)/)
  })
})
