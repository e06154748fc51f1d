/** Sensitive JSON fields are found at any depth, by path, without their values. */
import { describe, expect, it } from 'vitest'
import { findSensitiveFields, isSensitiveKey } from './sensitive.js'

describe('findSensitiveFields', () => {
  it('lists paths of credential fields at any depth, collapsing array indices', () => {
    const doc = {
      user: { id: 1, email: 'a@b.c', passwordHash: '$2b$12$abc', profile: { api_key: 'k-123' } },
      users: [{ password: 'p1' }, { password: 'p2' }],
      config: { 'jwt-secret': 's', db: { DATABASE_URL: 'postgres://u:p@h/db' } },
      access_token: 'eyJ...',
    }
    expect(findSensitiveFields(doc)).toEqual([
      { path: '$.user.passwordHash', count: 1 },
      { path: '$.user.profile.api_key', count: 1 },
      { path: '$.users[*].password', count: 2 },
      { path: '$.config["jwt-secret"]', count: 1 },
      { path: '$.config.db.DATABASE_URL', count: 1 },
      { path: '$.access_token', count: 1 },
    ])
  })

  it('never keeps values', () => {
    expect(JSON.stringify(findSensitiveFields({ secret: 'hunter2-planted' }))).not.toContain('hunter2')
  })

  it('ignores empty, masked and boolean values and look-alike keys', () => {
    expect(findSensitiveFields({ password: null, token: '', secret: '***', apiKey: '[REDACTED]', hasPassword: true, nextPageToken: 'abc', usage: { prompt_tokens: 10, max_tokens: 5 }, token_type: 'bearer' })).toEqual([])
  })

  it('classifies keys', () => {
    for (const k of ['password', 'dbPassword', 'password_hash', 'clientSecret', 'STRIPE_API_KEY', 'refreshToken', 'private_key', 'token']) expect(isSensitiveKey(k), k).toBe(true)
    for (const k of ['username', 'tokens', 'csrfToken', 'keyId', 'passwordChangedAt', 'monkey']) expect(isSensitiveKey(k), k).toBe(false)
  })
})
