// Bugs a user found running the CLI on real-looking .env files: each case reproduces one report.
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import { envFixture, type EnvFixture } from '../../../test/helpers/env-target.js'
import type { Target } from '../../engine/types.js'
import { configChecks } from './index.js'
import urls from './invalid-url.js'
import required from './missing-variable.js'
import secrets from './weak-secret.js'

let fx: EnvFixture | undefined
afterEach(() => fx?.cleanup())

/** The env target with baseDir at the fixture folder, as the CLI builds it (so paths read `.env`). */
const at = (f: EnvFixture, options: Record<string, unknown> = {}): Target => ({
  ...f.target,
  options: { ...f.target.options, file: '.env', baseDir: f.dir, ...options },
})

describe('a .env line without "="', () => {
  it('is never glued to the next variable: titles and commands stay one line', async () => {
    fx = envFixture({ '.env': 'APP_NAME=logbook\nBROKEN LINE WITHOUT EQUALS\nexport FOO_URL=not-a-url\n' })
    const r = await runCheck(urls, null, { target: at(fx) })
    const f = findingOf(r, 'config.invalid-url')!
    expect(f.title).toBe('FOO_URL is not a valid URL: has no scheme (expected scheme://host:port/...)')
    expect(evidenceText(f)).toContain('(.env line 3)')
    for (const text of [f.title, ...f.commands, ...f.evidence.map((e) => e.observed)]) expect(text).not.toContain('\n')
    expect(f.commands[0]).toContain("grep -nE '^[[:space:]]*(export[[:space:]]+)?FOO_URL[[:space:]]*=' .env")
  })

  it('is a ✓ note on config.required (first evidence, so the report shows it), with its line number only', async () => {
    fx = envFixture({ '.env': 'APP_NAME=logbook\nBROKEN LINE WITHOUT EQUALS\nexport FOO_URL=http://x\n' })
    const r = await runCheck(required, null, { target: at(fx), secrets: ['BROKEN LINE'] })
    expect(r.status).toBe('ok')
    expect(r.evidence[0]).toEqual({ label: '.env line 2', observed: 'ignored: no "=" (not a NAME=value assignment); it sets no variable', expected: 'NAME=value' })
    expect(r.observations['config.dotenv.malformed']).toBe(1)
  })

  it('the user\'s .env: the malformed line shows on the config.required finding when there is no ✓ to carry it', async () => {
    fx = envFixture({ '.env': 'APP_NAME=logbook\nBROKEN LINE WITHOUT EQUALS\nexport FOO_URL=not-a-url\nJWT_SECRET_KEY=   \n' }, { secrets: ['JWT_SECRET_KEY'] })
    const r = await runCheck(required, null, { target: at(fx) })
    expect(r.findings.map((f) => f.title)).toEqual(['JWT_SECRET_KEY is set to blanks in .env line 4'])
    expect(evidenceText(r.findings[0])).toContain('.env line 2: ignored: no "=" (not a NAME=value assignment); it sets no variable')
  })

  it('explains a required variable written without "=" (DATABASE_URL postgres://...)', async () => {
    fx = envFixture({ '.env': 'APP_NAME=logbook\nDATABASE_URL postgres://app:s3cr3t-pw@db/app\n' }, { required: ['DATABASE_URL'] })
    const r = await runCheck(required, null, { target: at(fx), secrets: ['s3cr3t-pw'] })
    const f = findingOf(r, 'config.missing-variable')!
    expect(f.title).toBe('DATABASE_URL is not set: .env line 2 has no "="')
    expect(evidenceText(f)).toContain('.env line 2: ignored: no "=" (not a NAME=value assignment)')
  })
})

describe('a variable set to blanks', () => {
  it('JWT_SECRET_KEY=   is one finding saying it is set to blanks in .env line 4', async () => {
    // Discovery lists JWT_SECRET_KEY in env.secrets; it is also a well-known required name.
    fx = envFixture({ '.env': 'APP_NAME=logbook\nDATABASE_URL=postgres://app@db/app\nDEBUG=0\nJWT_SECRET_KEY=   \n' }, { secrets: ['JWT_SECRET_KEY'] })
    const results = [await runCheck(required, null, { target: at(fx) }), await runCheck(secrets, null, { target: at(fx) })]
    const findings = results.flatMap((r) => r.findings)
    expect(findings.map((f) => f.title)).toEqual(['JWT_SECRET_KEY is set to blanks in .env line 4'])
    expect(evidenceText(findings[0])).toContain('JWT_SECRET_KEY: set to blanks (.env line 4)')
    expect(evidenceText(findings[0])).not.toContain('not set')
    expect(results[1].status).toBe('ok')
  })

  it('a secret that is not required but blank is still reported by config.secrets, as blanks, not "not set"', async () => {
    fx = envFixture({ '.env': 'APP_NAME=logbook\nSIGNING_SALT=  \n' }, { secrets: ['SIGNING_SALT'] })
    const r = await runCheck(secrets, null, { target: at(fx), config: { environment: 'development' } })
    const f = findingOf(r, 'config.weak-secret')!
    expect(f.title).toBe('SIGNING_SALT is set to blanks in .env line 2')
    expect(evidenceText(f)).toContain('set to blanks (.env line 2)')
  })
})

describe('a .env that cannot be used as such', () => {
  it('a 30 000-line .env over 1 MB is read, not silently ignored', async () => {
    const filler = Array.from({ length: 30_000 }, (_, i) => `FILLER_${i}=${'x'.repeat(40)}`).join('\n')
    fx = envFixture({ '.env': `${filler}\nDATABASE_URL=\n` })
    const r = await runCheck(required, null, { target: at(fx) })
    expect(r.status).toBe('problem')
    expect(findingOf(r, 'config.missing-variable')?.title).toBe('DATABASE_URL is empty')
    expect(evidenceText(findingOf(r, 'config.missing-variable'))).toContain('.env line 30001')
    expect(r.observations['config.dotenv.variables']).toBe(30_001)
  })

  it('a .env over the 16 MB cap: every config check ends as error saying so', async () => {
    fx = envFixture({ '.env': '' })
    truncateSync(join(fx.dir, '.env'), 17 * 1024 * 1024)
    for (const check of configChecks) {
      const r = await runCheck(check, null, { target: at(fx) })
      expect(r.status, check.meta.id).toBe('error')
      expect(r.reason).toBe('env.file .env is 17.0 MB, over the 16 MB medic reads (a .env is a few KB: is it the right file?)')
    }
  })

  it('env.file pointing to a directory: every config check ends as error "env.file .env is a directory"', async () => {
    fx = envFixture({})
    mkdirSync(join(fx.dir, '.env'))
    for (const check of configChecks) {
      const r = await runCheck(check, null, { target: at(fx) })
      expect(r.status, check.meta.id).toBe('error')
      expect(r.reason).toBe(`env.file .env is a directory (${join(fx.dir, '.env')}), not a file of NAME=value lines`)
    }
  })
})

describe('titles and commands are one line whatever the .env holds (property)', () => {
  it('config.required, config.secrets and config.urls', async () => {
    const line = fc.oneof(
      fc.string(),
      fc.tuple(fc.constantFrom('DATABASE_URL', 'FOO_URL', 'JWT_SECRET_KEY', 'A', 'REDIS_HOST'), fc.constantFrom('=', ' = ', ' '), fc.string()).map(([k, eq, v]) => `${k}${eq}${v}`),
      fc.constantFrom('BROKEN LINE WITHOUT EQUALS', 'export', 'export FOO_URL', 'X="open', 'Y=\'a', '   ', '#', 'Z=`'),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 12 }), async (ls) => {
        const f = envFixture({ '.env': ls.join('\n') }, { required: ['DATABASE_URL'], secrets: ['JWT_SECRET_KEY'] })
        try {
          for (const check of [required, secrets, urls]) {
            const r = await runCheck(check, null, { target: at(f) })
            for (const x of r.findings) for (const text of [x.title, ...x.commands]) expect(text).not.toMatch(/[\r\n]/)
          }
        } finally {
          f.cleanup()
        }
      }),
      { numRuns: 60 },
    )
  })
})
