// auth.apikey runs as the runner runs it (CheckTester enforces the contract): keys from the
// config value, the process environment and a .env file, never printed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { evidenceText, runCheck } from '../../../test/helpers/check-tester.js'
import { configSchema } from '../../config/schema.js'
import { resolveTargets } from '../../config/resolve.js'
import type { Target } from '../../engine/types.js'
import apikey from './apikey.js'

function authTarget(config: Record<string, unknown>): { target: Target; config: Record<string, unknown> } {
  const parsed = configSchema.parse(config)
  const target = resolveTargets(parsed).find((t) => t.kind === 'auth')!
  return { target, config }
}

async function run(check: typeof apikey, config: Record<string, unknown>, secrets: string[]) {
  const { target } = authTarget(config)
  return runCheck(check, null, { target, config, secrets })
}

describe('auth.apikey', () => {
  const KEY = 'sk_live_51Hb7wQe3Kx9Lm2Np5Rt8Vz0Yc4'

  it('missing variable: apikey.missing', async () => {
    delete process.env.MEDIC_TEST_MISSING_KEY
    const r = await run(apikey, { auth: { apiKey: { variable: 'MEDIC_TEST_MISSING_KEY', pattern: '^sk_(live|test)_' } } }, [])
    expect(r.findings.map((f) => f.id)).toEqual(['apikey.missing'])
    expect(r.findings[0].title).toBe('API key missing: variable MEDIC_TEST_MISSING_KEY is not set')
    expect(r.findings[0].commands).toContain('printenv MEDIC_TEST_MISSING_KEY | wc -c')
    expect(r.observations['apikey.present']).toBe(false)
  })

  it('a key with quotes and a newline from the environment: apikey.malformed, key never shown', async () => {
    process.env.MEDIC_TEST_API_KEY = `"${KEY}"\n`
    try {
      const r = await run(apikey, { auth: { apiKey: { variable: 'MEDIC_TEST_API_KEY', pattern: '^sk_(live|test)_[A-Za-z0-9]{24,}$' } } }, [KEY, KEY.slice(8)])
      expect(r.findings.map((f) => f.id)).toEqual(['apikey.malformed'])
      const ev = evidenceText(r.findings[0])
      expect(ev).toContain('the key ends with a line break')
      expect(ev).toContain('wrapped in quotes')
      expect(ev).toContain('source: variable MEDIC_TEST_API_KEY')
    } finally {
      delete process.env.MEDIC_TEST_API_KEY
    }
  })

  it('a well-formed value: ok with its shape; a test key where live is required: malformed', async () => {
    const ok = await run(apikey, { auth: { apiKey: { value: KEY, pattern: '^sk_live_' } } }, [KEY])
    expect(ok.status).toBe('ok')
    expect(ok.evidence[0]).toEqual({ label: 'API key', observed: 'sk_live_… (35 characters) from auth.apiKey.value', expected: 'matches ^sk_live_' })
    const test = await run(apikey, { auth: { apiKey: { value: KEY.replace('live', 'test'), pattern: '^sk_live_' } } }, [KEY.replace('live', 'test')])
    expect(test.findings[0].title).toContain('the key (sk_test_… (35 characters)) does not match ^sk_live_')
  })

  it('reads the variable from the .env under the target baseDir, with processEnv winning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medic-apikey-'))
    try {
      writeFileSync(join(dir, '.env'), `PAYMENTS_KEY="Bearer ${KEY}"\n`)
      const cfg = { auth: { apiKey: { variable: 'PAYMENTS_KEY', pattern: '^sk_live_' } } }
      const { target } = authTarget(cfg)
      const fromFile = await runCheck(apikey, null, { target: { ...target, options: { ...target.options, baseDir: dir, processEnv: {} } }, config: cfg, secrets: [KEY] })
      expect(fromFile.findings.map((f) => f.id)).toEqual(['apikey.malformed'])
      expect(evidenceText(fromFile.findings[0])).toContain(`source: variable PAYMENTS_KEY (from ${join(dir, '.env')})`)
      expect(evidenceText(fromFile.findings[0])).toContain('the stored value starts with "Bearer "')
      const fromEnv = await runCheck(apikey, null, { target: { ...target, options: { ...target.options, baseDir: dir, processEnv: { PAYMENTS_KEY: KEY } } }, config: cfg, secrets: [KEY] })
      expect(fromEnv.status).toBe('ok')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('an invalid auth.apiKey.pattern is an error of the check with a clear reason, not a finding', async () => {
    // Bug: an invalid pattern was reported as apikey.malformed. medic.yaml now rejects it at load
    // (config/load.test.ts); the check still guards targets built another way.
    const target: Target = { id: 'auth', kind: 'auth', address: 'auth settings', options: { apiKey: { value: KEY, pattern: '([a-', required: true }, routes: {} }, thresholds: {}, source: 'test' }
    const r = await runCheck(apikey, null, { target, config: {}, secrets: [KEY] })
    expect(r.status).toBe('error')
    expect(r.findings).toEqual([])
    expect(r.reason).toMatch(/^auth.apiKey.pattern is not a valid regular expression: /)
  })

  it('skips when not required and unset, or without an apiKey section', async () => {
    expect((await run(apikey, { auth: { apiKey: { variable: 'MEDIC_TEST_NOPE', required: false } } }, [])).status).toBe('skipped')
    expect((await run(apikey, { auth: { routes: {} } }, [])).status).toBe('skipped')
  })
})
