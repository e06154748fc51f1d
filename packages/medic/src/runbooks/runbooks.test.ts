import { describe, expect, it } from 'vitest'
import { ConfigError } from '../engine/errors.js'
import type { CheckResult, Finding } from '../engine/types.js'
import { configSchema } from '../config/schema.js'
import { diagnoseSymptom, loadRunbooks, parseRunbook } from './index.js'
import { holds, parseCondition } from './observation.js'
import { LIKELY } from './rank.js'

const books = loadRunbooks(configSchema.parse({}), process.cwd())

function finding(id: string, target: string, title = id, severity: Finding['severity'] = 'critical', observed = 'x'): Finding {
  return { id, severity, target, title, evidence: [{ label: 'seen', observed }], fix: 'fix', commands: [] }
}

function result(id: string, target: string, findings: Finding[] = [], observations: CheckResult['observations'] = {}, status?: CheckResult['status']): CheckResult {
  return { id, target, status: status ?? (findings.length ? 'problem' : 'ok'), durationMs: 1, findings, evidence: [], observations }
}

describe('built-in runbooks', () => {
  it('load and validate, one per symptom of DESIGN.md', () => {
    expect(books.all().map((b) => b.symptom).sort()).toEqual(['401', '403', '500', '503', 'errors', 'memory', 'search', 'slow', 'startup'])
    expect(books.find('unauthorized')?.symptom).toBe('401')
    expect(books.find('OOM')?.symptom).toBe('memory')
  })

  it('503 with exhausted PostgreSQL slots ranks that cause first, with its evidence', () => {
    const d = diagnoseSymptom(
      books.find('503')!,
      [
        result('postgres.connections', 'db', [finding('postgres.connections-saturated', 'db', 'Connection slots exhausted', 'critical', '97 of 97 used')], { 'postgres.slots.usedPct': 100, 'postgres.reachable': true }),
        result('redis.connect', 'cache', [], { 'redis.reachable': true }),
      ],
      [],
    )
    expect(d.causes[0].id).toBe('postgres-slots-exhausted')
    expect(d.causes[0].score).toBeGreaterThanOrEqual(0.9)
    expect(d.causes[0].supports[0].detail).toContain('Connection slots exhausted (seen: 97 of 97 used) [db]')
    expect(d.summary).toBe('most likely: PostgreSQL connection slots exhausted (90 %)')
    const redisDown = d.causes.find((c) => c.id === 'redis-down')!
    expect(redisDown.score).toBe(0)
  })

  it('503 with Redis OOM in the logs and in INFO ranks Redis refusing writes first', () => {
    const d = diagnoseSymptom(
      books.find('503')!,
      [
        result('redis.memory', 'cache', [finding('redis.oom', 'cache', 'Redis is out of memory')], { 'redis.reachable': true }),
        result('logs.known-errors', 'logs', [finding('logs.known-error', 'logs', 'OOM command not allowed when used memory > maxmemory', 'critical')]),
        result('postgres.connections', 'db', [], { 'postgres.slots.usedPct': 12, 'postgres.reachable': true }),
      ],
      [],
    )
    expect(d.causes[0].id).toBe('redis-refusing-writes')
    expect(d.causes.find((c) => c.id === 'postgres-slots-exhausted')!.score).toBe(0)
  })

  it('refuting evidence lowers a cause and is shown against it', () => {
    const d = diagnoseSymptom(
      books.find('503')!,
      [
        result('http.health', 'api', [finding('http.component-unhealthy', 'api', 'Health reports database down', 'critical', 'database: unhealthy')]),
        result('postgres.connect', 'db', [], { 'postgres.reachable': true, 'postgres.slots.usedPct': 10 }),
      ],
      [],
    )
    const pgDown = d.causes.find((c) => c.id === 'postgres-down')!
    expect(pgDown.supports.length).toBe(1)
    expect(pgDown.refutes[0].detail).toContain('PostgreSQL accepts medic')
    expect(pgDown.score).toBeLessThan(0.1)
    expect(d.causes[0].id).toBe('health-component-failing')
  })

  it('a check skipped because its target is down does not lower a cause that target already proves', () => {
    const plan = [{ check: { meta: { id: 'postgres.idle-in-transaction', findings: { 'postgres.idle-in-transaction': {} } } }, target: {} }] as never
    const base = [result('postgres.connect', 'db', [finding('postgres.connections-saturated', 'db', 'Connection slots exhausted')])]
    const skippedDb = result('postgres.idle-in-transaction', 'db', [], {}, 'skipped')
    const withSkip = diagnoseSymptom(books.find('503')!, [...base, { ...skippedDb, reason: 'PostgreSQL unreachable (see postgres.connect)' }], plan)
    const without = diagnoseSymptom(books.find('503')!, base, plan)
    expect(withSkip.causes[0].score).toBe(without.causes[0].score)
    expect(withSkip.missing).toEqual([])
    // On a target with no finding, the same skip is reported and discounts the cause it would have supported.
    const other = diagnoseSymptom(books.find('503')!, [...base, { ...skippedDb, target: 'db2', reason: 'no permission' }], plan)
    expect(other.missing).toEqual([{ check: 'postgres.idle-in-transaction', target: 'db2', reason: 'no permission' }])
  })

  it('503 with Redis refusing the password ranks Redis first: a server that answers is not a usable one', () => {
    const d = diagnoseSymptom(
      books.find('503')!,
      [result('redis.connect', 'cache', [{ ...finding('redis.auth-failed', 'cache', 'Redis refuses the password (WRONGPASS)'), commands: ['redis-cli -h 127.0.0.1 -p 16391 --askpass ping'] }], { 'redis.reachable': true })],
      [],
    )
    expect(d.causes[0].id).toBe('redis-down')
    expect(d.causes[0].score).toBeGreaterThanOrEqual(0.7)
    // The finding's own command (the real port) comes before the runbook's generic ones.
    expect(d.causes[0].commands[0]).toBe('redis-cli -h 127.0.0.1 -p 16391 --askpass ping')
  })

  it('a healthy run names no likely cause and says so', () => {
    for (const symptom of ['500', '503', 'slow', 'startup', '401']) {
      const d = diagnoseSymptom(books.find(symptom)!, [result('postgres.connect', 'db', [], { 'postgres.reachable': true, 'postgres.slots.usedPct': 5, 'postgres.blocked.count': 0 }), result('redis.connect', 'cache', [], { 'redis.reachable': true })], [])
      expect(d.causes.every((c) => c.score < LIKELY), symptom).toBe(true)
      expect(d.summary, symptom).toMatch(/^no cause found/)
    }
  })

  it('a match regex narrows which findings count', () => {
    const d = diagnoseSymptom(books.find('500')!, [result('logs.known-errors', 'logs', [finding('logs.known-error', 'logs', 'SQLAlchemy QueuePool limit of size 5 overflow 10 reached')])], [])
    expect(d.causes[0].id).toBe('db-connection-timeout')
  })
})

describe('runbook validation', () => {
  it('rejects an unknown finding id with file, line and path', () => {
    const text = `symptom: x\ntitle: X\nchecks: [postgres]\ncauses:\n  - id: c\n    title: C\n    supports:\n      - { finding: postgres.no-such, weight: 0.5 }\n    fix: f\n`
    expect(() => parseRunbook(text, 'mine.yaml')).toThrow(ConfigError)
    expect(() => parseRunbook(text, 'mine.yaml')).toThrow('mine.yaml:8 causes.0.supports.0: unknown finding id "postgres.no-such"')
  })

  it('rejects an unknown check family and a bad observation', () => {
    const text = `symptom: x\ntitle: X\nchecks: [mongo]\ncauses:\n  - id: c\n    title: C\n    supports:\n      - { observation: "a >= ", weight: 0.5 }\n    fix: f\n`
    expect(() => parseRunbook(text, 'm.yaml')).toThrow(/unknown check or family "mongo"[\s\S]*cannot read observation condition/)
  })
})

describe('observation conditions', () => {
  it('compares numbers, booleans and strings; missing observations are neither for nor against', () => {
    expect(holds(parseCondition('postgres.slots.usedPct >= 80')!, 97)).toBe(true)
    expect(holds(parseCondition('postgres.slots.usedPct >= 80')!, 12)).toBe(false)
    expect(holds(parseCondition('redis.reachable == true')!, true)).toBe(true)
    expect(holds(parseCondition('redis.policy == noeviction')!, 'noeviction')).toBe(true)
    expect(holds(parseCondition('!http.reachable')!, false)).toBe(true)
    expect(holds(parseCondition('x > 1')!, undefined)).toBeUndefined()
  })
})
