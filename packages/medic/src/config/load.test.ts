import { describe, expect, it } from 'vitest'
import { ConfigError } from '../engine/errors.js'
import { parseConfig } from './load.js'

function problemsOf(text: string, env: Record<string, string> = {}): string {
  try {
    parseConfig(text, 'medic.yaml', env)
  } catch (e) {
    if (e instanceof ConfigError) return e.message
    throw e
  }
  throw new Error('expected a ConfigError')
}

describe('config loader', () => {
  it('reads the shape of DESIGN.md with ${VAR} and ${VAR:-default}', () => {
    const c = parseConfig(
      `environment: staging
targets:
  api: { kind: http, url: http://127.0.0.1:8000, health: [/health, /ready] }
  db: { kind: postgres, url: "\${DATABASE_URL}" }
  cache: { kind: redis, url: "\${REDIS_URL:-redis://127.0.0.1:6379}" }
thresholds:
  postgres.idle-in-transaction: { warningSeconds: 30 }
disable: [postgres.cache-hit-low]
`,
      'medic.yaml',
      { DATABASE_URL: 'postgres://app:pw@127.0.0.1:5432/app' },
    )
    expect(c.environment).toBe('staging')
    expect(c.targets.db).toMatchObject({ kind: 'postgres', url: 'postgres://app:pw@127.0.0.1:5432/app' })
    expect(c.targets.cache).toMatchObject({ url: 'redis://127.0.0.1:6379' })
    expect(c.targets.api).toMatchObject({ health: ['/health', '/ready'] })
    expect(c.thresholds['postgres.idle-in-transaction']).toEqual({ warningSeconds: 30 })
  })

  it('names file, line and key for an unknown key', () => {
    const msg = problemsOf(`targets:
  api:
    kind: http
    url: http://127.0.0.1:8000
    heath: [/health]
`)
    expect(msg).toContain('medic.yaml:5 targets.api: unknown key "heath"')
  })

  it('names the line of malformed YAML', () => {
    expect(problemsOf('targets:\n  api: { kind: http, url: http://x\n')).toMatch(/^medic\.yaml:\d+: invalid YAML/)
  })

  it('says which variable is unset and where it is used', () => {
    expect(problemsOf('targets:\n  db: { kind: postgres, url: "${DATABASE_URL}" }\n')).toBe('medic.yaml:2 targets.db.url: environment variable DATABASE_URL is not set')
  })

  it('names the variable a bad value came from', () => {
    expect(problemsOf('targets:\n  db: { kind: postgres, url: "${DATABASE_URL}" }\n', { DATABASE_URL: 'postgres://u:p@h:99999/x' })).toBe(
      'medic.yaml:2 targets.db.url: is not a valid URL (expected postgres://host:port/...) (value from $DATABASE_URL)',
    )
  })

  it('rejects an unknown kind, listing the known ones', () => {
    expect(problemsOf('targets:\n  q: { kind: mongo, url: "mongodb://x" }\n')).toMatch(/medic\.yaml:2 targets\.q\.kind: unknown kind; expected one of http, postgres, mysql, redis/)
  })

  it('rejects an unparsable DSN and a wrong scheme', () => {
    expect(problemsOf('targets:\n  db: { kind: postgres, url: "not a url" }\n')).toContain('medic.yaml:2 targets.db.url: is not a valid URL')
    expect(problemsOf('targets:\n  db: { kind: postgres, url: "mysql://x/y" }\n')).toContain('has scheme "mysql", expected postgres or postgresql')
  })

  it('rejects a typo in sslmode / ssl-mode and a process target that names no process', () => {
    expect(problemsOf('targets:\n  db: { kind: postgres, url: "postgres://a@h/x?sslmode=bogus" }\n')).toContain('medic.yaml:2 targets.db.url: has sslmode=bogus, expected one of disable, allow, prefer, require, verify-ca, verify-full')
    expect(problemsOf('targets:\n  m: { kind: mysql, url: "mysql://a@h/x?ssl-mode=bogus" }\n')).toContain('has ssl-mode=bogus, expected one of DISABLED, PREFERRED, REQUIRED')
    expect(parseConfig('targets:\n  m: { kind: mysql, url: "mysql://a@h/x?ssl-mode=required" }\n', 'medic.yaml', {}).targets.m).toBeDefined()
    expect(problemsOf('targets:\n  p: { kind: process }\n')).toBe('medic.yaml:2 targets.p: a process target needs one of pid, name, port or container')
  })

  it('rejects an API key pattern that is not a regular expression', () => {
    expect(problemsOf('auth:\n  apiKey: { pattern: "([a-" }\n')).toBe('medic.yaml:2 auth.apiKey.pattern: is not a valid regular expression')
  })

  it('rejects a bad environment value and a wrong type with the line', () => {
    const msg = problemsOf('environment: prod\ntimeoutMs: fast\n')
    expect(msg).toContain('medic.yaml:1 environment: is "prod", expected one of production, staging, development')
    expect(msg).toContain('medic.yaml:2 timeoutMs: expected number, got string')
  })

  it('treats an empty file as the defaults and a list as an error', () => {
    expect(parseConfig('', 'medic.yaml', {}).targets).toEqual({})
    expect(problemsOf('- a\n- b\n')).toContain('expected a mapping')
  })
})
