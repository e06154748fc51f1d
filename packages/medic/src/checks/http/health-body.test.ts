/** Health bodies of each common shape are read into an overall status and failing components. */
import { describe, expect, it } from 'vitest'
import { readHealth } from './health-body.js'

const failing = (body: unknown) =>
  readHealth(typeof body === 'string' ? body : JSON.stringify(body))!.components.filter((c) => c.state !== 'pass')

describe('readHealth', () => {
  it('reads application/health+json checks with their output', () => {
    const r = readHealth(
      JSON.stringify({
        status: 'fail',
        version: '1',
        checks: {
          'db:connections': [{ componentId: 'pg', status: 'fail', output: 'connection refused', observedValue: 0 }],
          'cache:responseTime': [{ status: 'pass', observedValue: 1, observedUnit: 'ms' }],
        },
      }),
    )!
    expect(r.overall).toEqual({ state: 'fail', raw: 'fail' })
    expect(r.components).toEqual([
      { name: 'db:connections', state: 'fail', raw: 'fail', output: 'connection refused' },
      { name: 'cache:responseTime', state: 'pass', raw: 'pass' },
    ])
  })

  it('reads a warn in health+json as warn', () => {
    expect(failing({ status: 'warn', checks: { 'disk:utilization': [{ status: 'warn', output: '91 % used' }] } })).toEqual([
      { name: 'disk:utilization', state: 'warn', raw: 'warn', output: '91 % used' },
    ])
  })

  it('reads {"status":"healthy"} as pass with no components', () => {
    expect(readHealth('{"status":"healthy"}')).toEqual({ overall: { state: 'pass', raw: 'healthy' }, components: [] })
  })

  it('reads flat component strings next to the status', () => {
    const r = readHealth('{"status":"ok","database":"down","redis":"connected","uptime":12}')!
    expect(r.overall?.state).toBe('pass')
    expect(r.components.filter((c) => c.state === 'fail')).toEqual([{ name: 'database', state: 'fail', raw: 'down' }])
    expect(r.components.find((c) => c.name === 'redis')?.state).toBe('pass')
  })

  it('reads nested component objects with their error', () => {
    expect(failing({ database: { status: 'unhealthy', error: 'password authentication failed for user "app"' }, redis: { status: 'healthy' } })).toEqual([
      { name: 'database', state: 'fail', raw: 'unhealthy', output: 'password authentication failed for user "app"' },
    ])
  })

  it('reads Spring Boot Actuator components (details.error)', () => {
    const body = {
      status: 'DOWN',
      components: {
        db: { status: 'DOWN', details: { database: 'PostgreSQL', error: 'org.springframework.jdbc.CannotGetJdbcConnectionException: Connection refused' } },
        diskSpace: { status: 'UP', details: { total: 1, free: 1, threshold: 1, exists: true } },
        ping: { status: 'UP' },
      },
    }
    expect(failing(body)).toEqual([
      { name: 'db', state: 'fail', raw: 'DOWN', output: 'org.springframework.jdbc.CannotGetJdbcConnectionException: Connection refused' },
    ])
  })

  it('reads Spring composite indicators down to the failing leaf', () => {
    const body = { status: 'DOWN', components: { db: { status: 'DOWN', components: { primary: { status: 'UP' }, replica: { status: 'DOWN', details: { error: 'timeout' } } } } } }
    expect(failing(body)).toEqual([{ name: 'db.replica', state: 'fail', raw: 'DOWN', output: 'timeout' }])
  })

  it('reads Spring Boot 2.0/2.1 `details` and NestJS Terminus', () => {
    expect(failing({ status: 'DOWN', details: { redis: { status: 'DOWN', details: { error: 'Unable to connect to localhost:6379' } } } })).toEqual([
      { name: 'redis', state: 'fail', raw: 'DOWN', output: 'Unable to connect to localhost:6379' },
    ])
    const terminus = {
      status: 'error',
      info: { memory_heap: { status: 'up' } },
      error: { database: { status: 'down', message: 'Connection terminated due to connection timeout' } },
      details: { memory_heap: { status: 'up' }, database: { status: 'down', message: 'Connection terminated due to connection timeout' } },
    }
    const r = readHealth(JSON.stringify(terminus))!
    expect(r.overall?.state).toBe('fail')
    expect(r.components.filter((c) => c.state === 'fail')).toEqual([
      { name: 'database', state: 'fail', raw: 'down', output: 'Connection terminated due to connection timeout' },
    ])
  })

  it('reads ASP.NET Core entries and arrays of checks', () => {
    expect(failing({ status: 'Unhealthy', totalDuration: '00:00:01', entries: { npgsql: { status: 'Unhealthy', description: 'Failed to connect to 127.0.0.1:5432', duration: '00:00:01' } } })).toEqual([
      { name: 'npgsql', state: 'fail', raw: 'Unhealthy', output: 'Failed to connect to 127.0.0.1:5432' },
    ])
    expect(failing({ status: 'degraded', checks: [{ name: 'qdrant', status: 'degraded', message: 'collection yellow' }, { name: 'db', status: 'ok' }] })).toEqual([
      { name: 'qdrant', state: 'warn', raw: 'degraded', output: 'collection yellow' },
    ])
  })

  it('reads booleans near the top and nested status objects', () => {
    expect(failing({ db: false, cache: true })).toEqual([{ name: 'db', state: 'fail', raw: 'false' }])
    expect(readHealth('{"healthy":false}')!.overall).toEqual({ state: 'fail', raw: 'healthy: false' })
    expect(readHealth('{"status":{"code":"DOWN"}}')!.overall?.state).toBe('fail')
  })

  it('reads plain-text bodies and ignores bodies that say nothing about health', () => {
    expect(readHealth('OK')?.overall?.state).toBe('pass')
    expect(readHealth('Service Unavailable')).toBeUndefined()
    expect(readHealth('{"name":"api","version":"1.2.3"}')).toBeUndefined()
    expect(readHealth('<html>oops</html>')).toBeUndefined()
  })
})
