import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { evidenceText, runCheck } from '../../../test/helpers/check-tester.js'
import { envFixture, type EnvFixture } from '../../../test/helpers/env-target.js'
import check from './invalid-url.js'
import { checkUrl, redactUrl } from './urls.js'

let fx: EnvFixture | undefined
afterEach(() => fx?.cleanup())

describe('URL parsing', () => {
  it('accepts the DSNs backends use', () => {
    for (const v of [
      'postgres://app:s3cret@db:5432/app',
      'postgresql+asyncpg://app:s3cret@db/app?sslmode=require',
      'mysql://root:pw@mysql:3306/the_logbook',
      'redis://:pw@cache:6379/0',
      'rediss://default:pw@cache.example.com:6380',
      'sqlite:///./app.db',
      'https://api.openai.com/v1',
      'postgres:///app',
      'mongodb+srv://u:p@cluster0.example.net/db',
      'amqp://guest:guest@rabbitmq:5672/',
    ]) {
      expect(checkUrl(v), v).toMatchObject({ ok: true })
    }
    expect(checkUrl('postgres://app:pw@db:5432/app')).toEqual({ ok: true, scheme: 'postgres', host: 'db', port: 5432 })
  })
  it('rejects what drivers reject, saying why', () => {
    expect(checkUrl('localhost:5432/app').problem).toMatch(/not followed by \/\/|unknown scheme/)
    expect(checkUrl('db:5432').problem).toContain('not followed by //')
    expect(checkUrl('127.0.0.1:6379').problem).toContain('no scheme')
    expect(checkUrl('postgres://app:pa#ss@db:5432/app').problem).toContain('must be percent-encoded')
    expect(checkUrl('postgres://app:pw@db:99999/app').problem).toContain('does not parse')
    expect(checkUrl('"postgres://app@db/app"').problem).toContain('quote')
    expect(checkUrl('postgres://app@db/app ').problem).toContain('whitespace')
    expect(checkUrl('mysql:///app').problem).toContain('needs a host')
    expect(checkUrl('postgress://db/app').problem).toContain('unknown scheme')
  })
  it('redacts passwords even when the value does not parse', () => {
    expect(redactUrl('postgres://app:pa#ss@db:5432/app')).toBe('postgres://app:***@db:5432/app')
    expect(redactUrl('postgres://app:p@ss@w0rd@db/app')).toBe('postgres://app:***@db/app')
    expect(redactUrl('https://api.example.com/v1?api_key=abc123&x=1')).toBe('https://api.example.com/v1?api_key=***&x=1')
    expect(redactUrl('app:hunter2@db:5432')).not.toContain('hunter2')
    expect(redactUrl('postgres://app:hunter2')).toBe('postgres://app:***')
    expect(redactUrl('redis://cache:6379/0')).toBe('redis://cache:6379/0')
  })
})

describe('URL parsing, property-based', () => {
  const password = fc.string({ minLength: 4, maxLength: 30 }).filter((s) => !/[@/]/.test(s) && /[A-Za-z0-9]{4}/.test(s))
  it('never throws and always answers, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.webUrl(), fc.constantFrom('postgres://', '://', 'a://@', 'x:' + '@'.repeat(5000))), (s) => {
        const r = checkUrl(s)
        expect(typeof r.ok).toBe('boolean')
        if (!r.ok) expect(r.problem).toBeTruthy()
        expect(typeof redactUrl(s)).toBe('string')
      }),
      { numRuns: 500 },
    )
  })
  it('a DSN password never survives redaction, even with hostile characters', () => {
    fc.assert(
      fc.property(fc.constantFrom('postgres', 'mysql', 'redis', 'https'), password, fc.domain(), (scheme, pw, host) => {
        const redacted = redactUrl(`${scheme}://app:${pw}@${host}:5432/x`)
        expect(redacted).toBe(`${scheme}://app:***@${host}:5432/x`)
      }),
      { numRuns: 1000 },
    )
  })
  it('a hostile 1 MB value is answered quickly', () => {
    const started = performance.now()
    checkUrl('postgres://' + 'a:'.repeat(500_000))
    redactUrl('postgres://' + '@'.repeat(1_000_000))
    expect(performance.now() - started).toBeLessThan(500)
  })
})

describe('config.urls (config.invalid-url)', () => {
  it('reports an unparsable DSN redacted, a DSN cut by an unquoted #, and a host:port without a scheme', async () => {
    fx = envFixture({
      '.env': [
        'DATABASE_URL=postgres://app:Tr0ub4dor#3@db:5432/app',
        'REPORTING_DATABASE_URL="postgres://app:Tr0ub4dor#3@db:5432/reports"',
        'REDIS_URL=cache:6379',
        'QDRANT_URL=http://127.0.0.1:6333',
        'APP_NAME=x',
        '',
      ].join('\n'),
    })
    const r = await runCheck(check, null, { target: fx.target, secrets: ['Tr0ub4dor', 'Tr0ub4dor#3'] })
    expect(r.findings.map((f) => [f.id, f.severity, f.title.split(' ')[0]])).toEqual([
      ['config.invalid-url', 'critical', 'DATABASE_URL'],
      ['config.invalid-url', 'critical', 'REPORTING_DATABASE_URL'],
      ['config.invalid-url', 'critical', 'REDIS_URL'],
    ])
    // Unquoted: the .env parser cut the value at #, the app sees postgres://app:<half a password>.
    const [cut, quoted, redis] = r.findings
    expect(evidenceText(cut)).toContain('postgres://app:*** (')
    expect(evidenceText(cut)).toContain('.env line 1')
    expect(cut.title).toMatch(/^DATABASE_URL is not a valid URL: cut at an unquoted # in .*\.env$/)
    expect(evidenceText(cut)).toContain('unquoted # that started a comment')
    // Quoted: the whole value arrives and does not parse.
    expect(evidenceText(quoted)).toContain('postgres://app:***@db:5432/reports')
    expect(quoted.title).toContain('must be percent-encoded')
    expect(redis.title).toContain('not followed by //')
    expect(r.observations['config.urls.checked']).toBe(4)
    expect(r.observations['config.urls.invalid']).toBe(3)
  })

  it('looks at any .env value with a scheme, and passes good ones', async () => {
    // BASE_URL=/ (Vite and friends set it) is a relative path, not a broken URL.
    fx = envFixture({ '.env': 'BROKER=amqp://guest:guest@rabbitmq:5672/\n' }, {}, { DATABASE_URL: 'postgres://app@127.0.0.1:5432/app', BASE_URL: '/', PUBLIC_URL: './static' })
    const r = await runCheck(check, null, { target: fx.target })
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toBe('2 parse (BROKER, DATABASE_URL)')
  })
})
