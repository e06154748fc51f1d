/**
 * auth.apikey: the API key the app sends (auth.apiKey: value or variable, optional pattern) is
 * there and has a shape a provider accepts: no quotes, whitespace, doubled "Bearer", placeholder.
 */
import { resolve } from 'node:path'
import { analyzeApiKey } from '../../auth/apikey.js'
import { APIKEY_MESSAGES } from '../../auth/messages.js'
import { readDotEnv } from '../../config/dotenv.js'
import { defineCheck } from '../../engine/check.js'
import { apiKeyFrom, targetPlace, type AuthConfig } from './settings.js'

export default defineCheck({
  meta: {
    id: 'auth.apikey',
    title: 'API key: present and well formed',
    targets: ['auth'],
    findings: APIKEY_MESSAGES,
    defaults: {},
    timeoutMs: 2000,
    description:
      'Reads the API key from auth.apiKey (a value, or a variable from the environment or .env) and reports when it is missing or would be rejected for its shape: surrounding quotes or whitespace, a stored "Bearer " prefix, a placeholder, or a value that does not match the expected pattern (sk_live_…/sk_test_…). It never calls the provider (see external.auth-failed for that).',
  },
  async run(ctx) {
    const conf = (ctx.target.options as unknown as AuthConfig).apiKey
    if (!conf) return ctx.skip('no auth.apiKey section in the config')
    if (conf.value === undefined && !conf.variable) ctx.skip('auth.apiKey names neither a value nor a variable')
    // The app reads its key from its environment: the process env wins over the .env file.
    const { baseDir, env } = targetPlace(ctx.target.options)
    const dotenv = readDotEnv(resolve(baseDir, ctx.config.env?.file ?? '.env'))
    const { value, source } = apiKeyFrom(conf, { ...dotenv.values, ...env })
    const fromDotenv = conf.variable && env[conf.variable] === undefined && dotenv.values[conf.variable] !== undefined
    ctx.observe('apikey.present', value !== undefined && value.trim() !== '')
    if ((value === undefined || value.trim() === '') && !conf.required) ctx.skip(`${source} is not set and auth.apiKey.required is false`)
    const a = analyzeApiKey(value, { pattern: conf.pattern, patternName: 'auth.apiKey.pattern', source: fromDotenv ? `${source} (from ${dotenv.path})` : source, variable: conf.variable })
    ctx.observe('apikey.wellFormed', a.status === 'ok')
    for (const f of a.findings) ctx.finding(f.id, { severity: f.severity, title: f.title, evidence: f.evidence, fix: f.fix, commands: f.commands })
    if (a.findings.length === 0) ctx.ok({ label: 'API key', observed: `${a.shape} from ${a.source}`, expected: conf.pattern ? `matches ${conf.pattern}` : 'present, no stray characters' })
  },
})
