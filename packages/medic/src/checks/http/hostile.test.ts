/** Health bodies and JSON documents are attacker-controlled input: any of them parses without a throw or a hang. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readHealth } from './health-body.js'
import { findSensitiveFields } from './sensitive.js'

describe('hostile bodies', () => {
  it('readHealth never throws on any string or JSON value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v))), (body) => {
        const r = readHealth(body)
        if (r) for (const c of r.components) expect(['pass', 'warn', 'fail']).toContain(c.state)
      }),
      { numRuns: 500 },
    )
  })

  it('findSensitiveFields never throws and never returns a value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (doc) => {
        for (const hit of findSensitiveFields(doc)) {
          expect(Object.keys(hit).sort()).toEqual(['count', 'path'])
          expect(hit.path.startsWith('$')).toBe(true)
        }
      }),
      { numRuns: 500 },
    )
  })

  it('copes with a body nested 100 000 levels deep (within the 1 MB read limit)', () => {
    const depth = 100_000
    const deep = '{"error":'.repeat(depth) + '"x"' + '}'.repeat(depth)
    let parsed: unknown
    try {
      parsed = JSON.parse(deep)
    } catch {
      parsed = undefined // an engine that refuses it is fine too: readHealth treats it as non-JSON
    }
    expect(() => readHealth(deep)).not.toThrow()
    expect(() => readHealth(`{"status":"down","db":${'{"details":'.repeat(depth)}1${'}'.repeat(depth)}}`)).not.toThrow()
    if (parsed !== undefined) expect(() => findSensitiveFields(parsed)).not.toThrow()
  })
})
