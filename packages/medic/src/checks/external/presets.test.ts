/** Config and data tests for the external family: presets, the key's display, rate-limit headers. No network. */
import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../config/load.js'
import { ConfigError } from '../../engine/errors.js'
import { describeKey, keyProblems, scrubKeyText } from './key.js'
import { parseAuthHeader, parseProviderError, rateWindows } from './probe.js'
import { PRESETS } from './presets.js'

describe('external target config', () => {
  it('an unknown preset is a config error naming the file, line, key and the presets', () => {
    const yaml = ['targets:', '  llm:', '    kind: external', '    preset: anthropix', '    key: abc'].join('\n')
    let err: unknown
    try {
      parseConfig(yaml, 'medic.yaml', {})
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as Error).message).toBe('medic.yaml:4 targets.llm.preset: is "anthropix", expected one of openai, generic')
  })

  it('a key from an unset variable is a config error, not an empty key', () => {
    const yaml = ['targets:', '  openai: { kind: external, preset: openai, key: "${OPENAI_API_KEY}" }'].join('\n')
    expect(() => parseConfig(yaml, 'medic.yaml', {})).toThrow(/medic\.yaml:2 targets\.openai\.key: environment variable OPENAI_API_KEY is not set/)
  })

  it('the openai preset needs no url', () => {
    const cfg = parseConfig('targets:\n  openai: { kind: external, preset: openai, key: sk-abc }\n', 'medic.yaml', {})
    expect(cfg.targets.openai).toMatchObject({ kind: 'external', preset: 'openai' })
    expect(PRESETS.openai.baseUrl).toBe('https://api.openai.com/v1')
  })
})

describe('key display and shape', () => {
  it('shows a well-known prefix and the length, nothing else', () => {
    expect(describeKey(`sk-proj-${'a'.repeat(156)}`)).toBe('sk-proj-… (164 chars)')
    expect(describeKey('sk-abcdefghijklmnopqrstuvwxyz')).toBe('sk-… (29 chars)')
    expect(describeKey('0123456789abcdef0123')).toBe('… (20 chars)')
  })

  it('names whitespace, quotes, a doubled Bearer and placeholders', () => {
    expect(keyProblems('sk-abc123')).toEqual([])
    expect(keyProblems(' sk-abc123')).toContain('leading whitespace')
    expect(keyProblems("'sk-abc123'")[0]).toContain('quote characters')
    expect(keyProblems('Bearer sk-abc123')[0]).toContain('"Bearer " prefix')
    expect(keyProblems('your-api-key-here')).toContain('a placeholder value, not a real key')
    expect(keyProblems('sk-abc\u2013123')[0]).toContain('non-ASCII')
  })

  it('scrubs key fragments a provider echoes', () => {
    expect(scrubKeyText('Incorrect API key provided: sk-proj-********abcd. You can', undefined)).toBe('Incorrect API key provided: sk-proj-***. You can')
    expect(scrubKeyText('key abcdefgh-secret was rejected', 'abcdefgh-secret')).toBe('key *** was rejected')
  })
})

describe('provider answers', () => {
  it('parses OpenAI error bodies and plain ones', () => {
    expect(parseProviderError('{"error":{"message":"m","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}')).toEqual({ message: 'm', type: 'insufficient_quota', code: 'insufficient_quota' })
    expect(parseProviderError('{"error":"Unauthorized"}')).toEqual({ message: 'Unauthorized', type: undefined, code: undefined })
    expect(parseProviderError('upstream connect error')).toEqual({ message: 'upstream connect error' })
  })

  it('reads OpenAI, GitHub-style and IETF rate-limit headers', () => {
    const w = rateWindows({
      'x-ratelimit-limit-requests': '500',
      'x-ratelimit-remaining-requests': '499',
      'x-ratelimit-reset-requests': '120ms',
      'ratelimit-limit': '100',
      'ratelimit-remaining': '3',
    })
    expect(w.map((x) => [x.name, x.remaining, x.limit, x.pct])).toEqual([
      ['requests', 499, 500, 99.8],
      ['', 3, 100, 3],
    ])
    expect(w[0].reset).toBe('120ms')
    const a = rateWindows({
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '1',
      'anthropic-ratelimit-requests-reset': '2026-11-22T02:30:00Z',
    })
    expect(a.map((x) => [x.name, x.remaining, x.limit, x.pct, x.reset])).toEqual([['requests', 1, 50, 2, '2026-11-22T02:30:00Z']])
  })

  it('auth header specs', () => {
    expect(parseAuthHeader('Authorization: Bearer {key}')).toEqual({ name: 'Authorization', template: 'Bearer {key}' })
    expect(parseAuthHeader('Authorization')).toEqual({ name: 'Authorization', template: 'Bearer {key}' })
    expect(parseAuthHeader('x-api-key')).toEqual({ name: 'x-api-key', template: '{key}' })
    expect(parseAuthHeader('Authorization: Token')).toEqual({ name: 'Authorization', template: 'Token {key}' })
  })
})
