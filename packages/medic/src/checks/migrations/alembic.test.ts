import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { alembicVersions, BRANCHED, LINEAR, MERGED } from '../../../test/helpers/alembic-fixture.js'
import { compare, graphOf, parseScript, readRevisionGraph, topoOrder, type Revision } from './alembic.js'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

describe('Alembic scripts', () => {
  it('reads revision and down_revision in the typed, plain, tuple, list and docstring forms', () => {
    expect(parseScript("revision = 'abc'\ndown_revision = None\n")).toEqual({ id: 'abc', down: [] })
    expect(parseScript('revision: str = "abc"\ndown_revision: Union[str, None] = "def"\n')).toEqual({ id: 'abc', down: ['def'] })
    expect(parseScript("revision = 'm1'\ndown_revision = ('a', 'b')\n")).toEqual({ id: 'm1', down: ['a', 'b'] })
    expect(parseScript("revision = 'm1'\ndown_revision = [\n    'a',\n    'b',\n]\n")).toEqual({ id: 'm1', down: ['a', 'b'] })
    expect(parseScript('"""x\n\nRevision ID: 9f8e\nRevises: 1a2b, 3c4d\n"""\n')).toEqual({ id: '9f8e', down: ['1a2b', '3c4d'] })
    expect(parseScript('"""x\n\nRevision ID: 9f8e\nRevises:\n"""\n')).toEqual({ id: '9f8e', down: [] })
    expect(parseScript('import os\n')).toBeUndefined()
  })

  it('linear: one head, upgrade order from the base', () => {
    const v = alembicVersions(LINEAR)
    cleanup = v.cleanup
    const g = readRevisionGraph(v.dir)
    expect(g.heads).toEqual(['c3f0c0de0003'])
    expect(g.bases).toEqual(['a1f0c0de0001'])
    expect(g.ignored).toEqual(['__init__.py'])
    expect(topoOrder(g)).toEqual(['a1f0c0de0001', 'b2f0c0de0002', 'c3f0c0de0003'])
    expect(compare(g, ['a1f0c0de0001'])).toEqual({ pending: ['b2f0c0de0002', 'c3f0c0de0003'], unknown: [] })
    expect(compare(g, ['c3f0c0de0003'])).toEqual({ pending: [], unknown: [] })
    expect(compare(g, [])).toEqual({ pending: ['a1f0c0de0001', 'b2f0c0de0002', 'c3f0c0de0003'], unknown: [] })
    expect(compare(g, ['ffff'])).toEqual({ pending: [], unknown: ['ffff'] })
  })

  it('branched: two heads; a database at one head is missing the other branch', () => {
    const v = alembicVersions(BRANCHED)
    cleanup = v.cleanup
    const g = readRevisionGraph(v.dir)
    expect(g.heads).toEqual(['c3f0c0de0003', 'd4f0c0de0004'])
    expect(compare(g, ['c3f0c0de0003']).pending).toEqual(['d4f0c0de0004'])
    expect(compare(g, ['c3f0c0de0003', 'd4f0c0de0004']).pending).toEqual([])
  })

  it('merged: one head again', () => {
    const v = alembicVersions(MERGED)
    cleanup = v.cleanup
    const g = readRevisionGraph(v.dir)
    expect(g.heads).toEqual(['e5f0c0de0005'])
    expect(compare(g, ['c3f0c0de0003']).pending).toEqual(['d4f0c0de0004', 'e5f0c0de0005'])
  })

  it('a cycle or a missing parent never hangs and is reported', () => {
    const revs = new Map<string, Revision>([
      ['a', { id: 'a', down: ['b'], file: '1.py' }],
      ['b', { id: 'b', down: ['a'], file: '2.py' }],
      ['c', { id: 'c', down: ['gone'], file: '3.py' }],
    ])
    const g = graphOf(revs)
    expect(g.missingParents).toEqual([{ revision: 'c', parent: 'gone' }])
    expect(topoOrder(g).sort()).toEqual(['a', 'b', 'c'])
    expect(compare(g, ['a']).pending).toEqual(['c'])
  })
})

describe('Alembic scripts, property-based', () => {
  it('random and hostile script text never crashes', () => {
    const piece = fc.oneof(
      fc.string(),
      fc.constantFrom("revision = '", 'down_revision = (', 'down_revision = [', 'Revision ID:', 'Revises: ,,,', "revision: str = 'x'\n", 'down_revision = None', '"""', '\0'),
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (parts) => {
        const r = parseScript(parts.join('\n'))
        if (r) {
          expect(typeof r.id).toBe('string')
          expect(Array.isArray(r.down)).toBe(true)
        }
      }),
      { numRuns: 1000 },
    )
  })
  it('random graphs: every revision is ordered once, parents first when acyclic', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(30), { maxLength: 3 }), { maxLength: 30 }), (parents) => {
        // Revision i may only point at lower indexes: acyclic by construction.
        const revs = new Map<string, Revision>(parents.map((ps, i) => [`r${i}`, { id: `r${i}`, down: ps.filter((p) => p < i).map((p) => `r${p}`), file: `${String(i).padStart(3, '0')}.py` }]))
        const g = graphOf(revs)
        const order = topoOrder(g)
        expect(order.length).toBe(revs.size)
        const pos = new Map(order.map((id, i) => [id, i]))
        for (const r of revs.values()) for (const p of r.down) expect(pos.get(p)!).toBeLessThan(pos.get(r.id)!)
        if (revs.size) expect(compare(g, g.heads).pending).toEqual([])
      }),
      { numRuns: 300 },
    )
  })
})
