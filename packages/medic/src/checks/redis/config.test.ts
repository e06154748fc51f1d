// Bad redis target settings are config errors naming file, line and key (no server involved).
import { describe, expect, test } from 'vitest'
import { parseConfig } from '../../config/load.js'
import { ConfigError } from '../../engine/errors.js'
import { cliPrefix, endpointOf } from './session.js'

function errorOf(yaml: string): string {
  try {
    parseConfig(yaml, 'medic.yaml', {})
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return (err as Error).message
  }
  throw new Error('expected a config error')
}

describe('redis target config', () => {
  test('a malformed redis:// URL is a clear config error with line and key', () => {
    expect(errorOf('targets:\n  cache: { kind: redis, url: "redis://cache:63a79" }\n')).toBe(
      'medic.yaml:2 targets.cache.url: is not a valid URL (expected redis://host:port/...)',
    )
  })

  test('wrong scheme, missing host and a non-numeric database are named', () => {
    expect(errorOf('targets:\n  cache: { kind: redis, url: "http://cache:6379" }\n')).toContain('targets.cache.url: has scheme "http", expected redis or rediss')
    expect(errorOf('targets:\n  cache: { kind: redis, url: "redis://cache:6379/sessions" }\n')).toContain(
      'targets.cache.url: has path "/sessions", expected a database number such as /0',
    )
  })

  test('unknown tls keys are refused; valid ones pass', () => {
    expect(errorOf('targets:\n  cache: { kind: redis, url: "rediss://c:6380", tls: { verify: false } }\n')).toContain('targets.cache.tls: unknown key "verify"')
    const ok = parseConfig('targets:\n  cache: { kind: redis, url: "rediss://app:pw@c:6380/2", tls: { insecure: true } }\n', 'medic.yaml', {})
    expect(ok.targets.cache).toMatchObject({ kind: 'redis', tls: { insecure: true } })
  })

  test('endpoint and redis-cli prefix: user kept, password never, --tls for rediss', () => {
    expect(endpointOf('rediss://app:p%40ss@cache:6380/2')).toEqual({ host: 'cache', port: 6380, user: 'app', password: 'p@ss', db: 2, tls: true })
    expect(cliPrefix({ options: { url: 'rediss://app:p%40ss@cache:6380/2' } })).toBe('redis-cli -h cache -p 6380 --tls --user app --askpass -n 2')
    expect(cliPrefix({ options: { url: 'redis://localhost' } })).toBe('redis-cli -h localhost -p 6379')
  })
})
