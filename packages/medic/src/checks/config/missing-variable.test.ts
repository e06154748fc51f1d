import { afterEach, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { envFixture, type EnvFixture } from '../../../test/helpers/env-target.js'
import check from './missing-variable.js'

let fx: EnvFixture | undefined
afterEach(() => fx?.cleanup())

describe('config.required (config.missing-variable)', () => {
  it('reports variables from env.required that are unset, and DATABASE_URL written empty in the .env', async () => {
    // SENTRY_DSN= is an optional setting left empty (Sentry off): not a finding.
    fx = envFixture({ '.env': 'APP_NAME=logbook\nDATABASE_URL=\nREDIS_URL=redis://127.0.0.1:6379/0\nSENTRY_DSN=\nCACHE_HOST=\n' }, { required: ['OPENAI_API_KEY', 'REDIS_URL'] })
    const r = await runCheck(check, null, { target: fx.target })
    expect(r.status).toBe('problem')
    const ids = r.findings.map((f) => f.title).sort()
    expect(ids).toEqual(['CACHE_HOST is empty', 'DATABASE_URL is empty', 'OPENAI_API_KEY is not set'])
    const openai = r.findings.find((f) => f.title.startsWith('OPENAI'))!
    expect(openai.id).toBe('config.missing-variable')
    expect(openai.severity).toBe('critical')
    expect(evidenceText(openai)).toContain('unset (not in the process environment nor in')
    expect(evidenceText(openai)).toContain('listed in env.required')
    const db = r.findings.find((f) => f.title.startsWith('DATABASE_URL'))!
    expect(evidenceText(db)).toMatch(/empty \(.*\.env line 2\)/)
    expect(db.commands.join('\n')).toContain("grep -nE '^[[:space:]]*(export[[:space:]]+)?DATABASE_URL[[:space:]]*='")
    expect(r.observations['config.required.missing']).toBe(3)
  })

  it('the process environment wins over an empty .env value', async () => {
    fx = envFixture({ '.env': 'DATABASE_URL=\n' }, {}, { DATABASE_URL: 'postgres://app@127.0.0.1/app' })
    const r = await runCheck(check, null, { target: fx.target })
    expect(r.status).toBe('ok')
    expect(r.evidence[0].observed).toBe('1 of 1 set')
  })

  it('infers requirements from .env.example (warning) and the compose file (critical for ${VAR:?})', async () => {
    fx = envFixture({
      '.env': 'DB_HOST=mysql\n',
      '.env.example': '# copy to .env\nDB_HOST=mysql\nSENTRY_DSN=\nSMTP_PASSWORD=\n',
      'docker-compose.yml': [
        'services:',
        '  backend:',
        '    image: logbook',
        '    environment:',
        '      DB_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD in .env}',
        '      TOKEN: ${API_TOKEN}',
        '      LEVEL: ${LOG_LEVEL:-info}',
        '      PRICE: $${NOT_A_VARIABLE}',
        '  mysql:',
        '    image: mariadb',
        '',
      ].join('\n'),
    })
    const r = await runCheck(check, null, { target: fx.target })
    const by = Object.fromEntries(r.findings.map((f) => [f.title.split(' ')[0], f]))
    expect(Object.keys(by).sort()).toEqual(['API_TOKEN', 'DB_PASSWORD', 'SENTRY_DSN', 'SMTP_PASSWORD'])
    expect(by.DB_PASSWORD.severity).toBe('critical')
    expect(evidenceText(by.DB_PASSWORD)).toContain('docker-compose.yml line 5')
    expect(by.API_TOKEN.severity).toBe('warning')
    expect(by.SENTRY_DSN.severity).toBe('warning')
    expect(evidenceText(by.SENTRY_DSN)).toContain('.env.example line 3')
  })

  it('says the .env was not found when a required variable is missing', async () => {
    fx = envFixture({}, { required: ['DATABASE_URL'] })
    const r = await runCheck(check, null, { target: fx.target })
    expect(evidenceText(findingOf(r, 'config.missing-variable'))).toContain('.env not found')
    expect(r.observations['config.dotenv.found']).toBe(false)
  })

  it('is skipped when nothing marks a variable as required', async () => {
    fx = envFixture({ '.env': 'APP_NAME=x\n' })
    const r = await runCheck(check, null, { target: fx.target })
    expect(r.status).toBe('skipped')
    expect(r.reason).toContain('nothing marks a variable as required')
  })
})
