/** Bad mysql targets in medic.yaml give a clear config error: file, line, key and what was expected. */
import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../config/load.js'
import { ConfigError } from '../../engine/errors.js'

function problemOf(url: string): string {
  const yaml = `targets:\n  legacy:\n    kind: mysql\n    url: "${url}"\n`
  try {
    parseConfig(yaml, 'medic.yaml', {})
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return (err as Error).message
  }
  throw new Error(`accepted ${url}`)
}

describe('mysql target config', () => {
  it.each([
    ['mysql//app:pw@db:3306/logbook', 'is not a valid URL (expected mysql://host:port/...)'],
    ['mysql://app:pw@db:99999/logbook', 'is not a valid URL'],
    ['mysql://app:pw@:3306/logbook', 'is not a valid URL'],
    ['postgres://app:pw@db:5432/logbook', 'has scheme "postgres", expected mysql or mariadb'],
    ['mysql:///logbook', 'has no host (expected mysql://user:password@host:3306/database)'],
    ['mysql://db:3306/logbook', 'has no user'],
    ['mysql://app:pw@db:3306/logbook/extra', 'path "/logbook/extra" is not one database name'],
  ])('%s', (url, message) => {
    const text = problemOf(url)
    expect(text).toContain('medic.yaml:4 targets.legacy.url:')
    expect(text).toContain(message)
  })

  it('unknown keys are refused (a typo is not silently ignored)', () => {
    expect(() => parseConfig('targets:\n  legacy:\n    kind: mysql\n    url: mysql://app@db/x\n    pasword: x\n', 'medic.yaml', {})).toThrow(/unknown key "pasword"/)
  })

  it('a good DSN passes', () => {
    const c = parseConfig('targets:\n  legacy:\n    kind: mysql\n    url: "mysql://app:${DB_PASSWORD}@127.0.0.1:3306/logbook"\n', 'medic.yaml', { DB_PASSWORD: 'x' })
    expect(c.targets.legacy.kind).toBe('mysql')
  })
})
