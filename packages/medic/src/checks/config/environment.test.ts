import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { envFixture, type EnvFixture } from '../../../test/helpers/env-target.js'
import { parseDotEnv } from '../../config/dotenv.js'
import { assignmentLines, buildEnvironment, composeReferences, hashCutNames, parseCompose } from './environment.js'
import { hostsOf } from './urls.js'

let fx: EnvFixture | undefined
afterEach(() => fx?.cleanup())

describe('the app environment', () => {
  it('merges .env and the process environment (process wins) and knows where each came from', () => {
    fx = envFixture({ '.env': '# app\nexport DB_HOST=db\nDB_PORT=3306\nQUOTED="a b # c"\nCUT=abc#def\n' }, {}, { DB_PORT: '3307' })
    const env = buildEnvironment(fx.target.options)
    expect(env.vars).toMatchObject({ DB_HOST: 'db', DB_PORT: '3307', QUOTED: 'a b # c', CUT: 'abc' })
    expect(env.origin).toMatchObject({ DB_HOST: '.env', DB_PORT: 'process' })
    expect(env.dotenv.lines).toMatchObject({ DB_HOST: 2, DB_PORT: 3 })
    expect(env.dotenv.hashCut).toEqual(['CUT'])
    expect(env.dotenv.found).toBe(true)
  })

  it('resolves a relative env.file and env.compose from the baseDir option (the CLI passes its cwd)', () => {
    fx = envFixture({ 'app.env': 'A=1\n', 'ops.yml': 'services:\n  db: {}\n' })
    const env = buildEnvironment({ file: 'app.env', compose: 'ops.yml', baseDir: fx.dir, processEnv: {} })
    expect(env.vars).toEqual({ A: '1' })
    expect(env.compose?.services).toEqual(['db'])
    expect(env.base).toBe(fx.dir)
  })

  it('reads compose services, aliases and ${VAR} references', () => {
    const c = parseCompose(
      'compose.yaml',
      'services:\n  mysql:\n    image: mariadb\n    container_name: logbook-db\n    networks:\n      back: { aliases: [database] }\n  backend:\n    environment:\n      - DB_HOST=${DB_HOST:-mysql}\n      - KEY=${SECRET_KEY:?missing}\n',
    )
    expect(c.services).toEqual(['mysql', 'backend'])
    expect(c.aliases).toEqual({ 'logbook-db': 'mysql', database: 'mysql' })
    expect(c.references).toEqual([{ name: 'SECRET_KEY', required: true, line: 10 }])
  })

  it('finds hosts in DSNs and *_HOST variables, not in IPs or unrelated names', () => {
    fx = envFixture({ '.env': 'DATABASE_URL=postgres://app:pw@db:5432/app\nREDIS_HOST=cache:6379\nQDRANT_URL=http://127.0.0.1:6333\nHOSTNAME=box\n' }, {}, { npm_config_registry: 'https://registry.npmjs.org/' })
    expect(hostsOf(buildEnvironment(fx.target.options))).toEqual([
      { variable: 'DATABASE_URL', host: 'db', port: 5432 },
      { variable: 'REDIS_HOST', host: 'cache', port: 6379 },
    ])
  })
})

describe('.env and compose parsing, property-based', () => {
  const line = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.tuple(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,12}$/), fc.string()).map(([k, v]) => `${k}=${v}`),
    fc.constantFrom('export', '=', '==', 'A="unterminated', "B='x", 'C=`x', '#', 'D=${E', '\uFEFFF=1', '\r', '\0', '${'.repeat(50)),
  )
  const text = fc.array(line, { maxLength: 40 }).map((ls) => ls.join(fc.sample(fc.constantFrom('\n', '\r\n'), 1)[0]))

  it('random and hostile .env text never crashes and every reader answers', () => {
    fc.assert(
      fc.property(text, (t) => {
        const values = parseDotEnv(t)
        expect(typeof values).toBe('object')
        for (const v of Object.values(values)) expect(typeof v).toBe('string')
        expect(typeof assignmentLines(t)).toBe('object')
        expect(Array.isArray(hashCutNames(t))).toBe(true)
        expect(Array.isArray(composeReferences(t))).toBe(true)
      }),
      { numRuns: 1000 },
    )
  })

  it('random and hostile compose text never crashes (YAML errors are reported, not thrown)', () => {
    const yamlish = fc.oneof(text, fc.constantFrom('services: [', 'services:\n  a: &x\n    b: *x\n', 'services: 7', '- a\n- b', 'services:\n  ? [a]\n  : b', '&a [*a]'))
    fc.assert(
      fc.property(yamlish, (t) => {
        const c = parseCompose('compose.yaml', t)
        expect(Array.isArray(c.services)).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('a 1 MB single-line .env and a billion-laughs compose file finish quickly', () => {
    const started = performance.now()
    const big = 'A=' + 'x#'.repeat(400_000)
    parseDotEnv(big)
    hashCutNames(big)
    const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for (let i = 1; i < 9; i++) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(',')}]`)
    const c = parseCompose('compose.yaml', laughs.join('\n'))
    expect(c.services).toEqual([])
    expect(performance.now() - started).toBeLessThan(2000)
  })
})
