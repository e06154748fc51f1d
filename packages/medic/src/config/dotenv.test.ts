import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseDotEnv, parseDotEnvDetailed, readDotEnv } from './dotenv.js'

describe('.env parsing', () => {
  it('a line without "=" is reported as malformed and never glued to the next variable', () => {
    // util.parseEnv gave { 'BROKEN LINE WITHOUT EQUALS\nexport FOO_URL': 'not-a-url' }.
    const p = parseDotEnvDetailed('A=1\nBROKEN LINE WITHOUT EQUALS\nexport FOO_URL=not-a-url\nB=2\n')
    expect(p.values).toEqual({ A: '1', FOO_URL: 'not-a-url', B: '2' })
    expect(p.lines).toEqual({ A: 1, FOO_URL: 3, B: 4 })
    expect(p.malformed).toEqual([{ line: 2, problem: 'no "=" (not a NAME=value assignment)', name: 'BROKEN' }])
  })

  it('reports a name that is not a name, a lone word and an unclosed quote; none leaks the line text', () => {
    const p = parseDotEnvDetailed('BAD KEY=1\n=x\nDATABASE_URL postgres://u:s3cr3t@h/db\nexport LONE\nQ="open\nR=2\n')
    expect(p.malformed.map((m) => [m.line, m.problem, m.name])).toEqual([
      [1, 'what stands before "=" is not a variable name', 'BAD'],
      [2, 'what stands before "=" is not a variable name', undefined],
      [3, 'no "=" (not a NAME=value assignment)', 'DATABASE_URL'],
      [4, 'no "=" (not a NAME=value assignment)', 'LONE'],
      [5, 'the " quote is never closed', 'Q'],
    ])
    // Q="open ... never closed across the rest of the file? R=2 has no ", so it is: rest of line kept.
    expect(parseDotEnvDetailed('Q="open\nR=2\n').malformed).toEqual([{ line: 1, problem: 'the " quote is never closed', name: 'Q' }])
    expect(parseDotEnvDetailed('Q="open\nR=2\n').values).toEqual({ Q: '"open', R: '2' })
    expect(JSON.stringify(p.malformed)).not.toContain('s3cr3t')
  })

  it('reads the usual syntax as python-dotenv, dotenv and compose do', () => {
    const text = [
      '# comment',
      'export A=1',
      'B = spaced value  # note',
      'C="double # not a comment"',
      "D='single \\n stays'",
      'E="line\\nbreak \\"quoted\\""',
      'F="multi',
      'line"',
      'G=b=c',
      'CUT=abc#def',
      'H=',
      'I=#x',
    ].join('\r\n')
    const p = parseDotEnvDetailed(text)
    expect(p.values).toEqual({ A: '1', B: 'spaced value', C: 'double # not a comment', D: 'single \\n stays', E: 'line\nbreak "quoted"', F: 'multi\nline', G: 'b=c', CUT: 'abc', H: '', I: '' })
    expect(p.lines).toMatchObject({ A: 2, F: 7, G: 9 })
    expect(p.hashCut).toEqual(['CUT'])
    expect(p.malformed).toEqual([])
    expect(parseDotEnvDetailed('\uFEFFJ=1').values).toEqual({ J: '1' })
  })

  it('knows a value written as blanks from an empty one', () => {
    const p = parseDotEnvDetailed('JWT_SECRET_KEY=   \nEMPTY=\nQ="  "\nC=  # comment\n')
    expect(p.values).toEqual({ JWT_SECRET_KEY: '', EMPTY: '', Q: '  ', C: '' })
    expect(p.blank.sort()).toEqual(['JWT_SECRET_KEY', 'Q'])
  })

  it('readDotEnv: missing is not found; a directory says why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'medic-dotenv-'))
    try {
      mkdirSync(join(dir, '.env'))
      expect(readDotEnv(join(dir, '.env'))).toMatchObject({ found: false, error: 'EISDIR' })
      expect(readDotEnv(join(dir, 'nope'))).toEqual({ path: join(dir, 'nope'), found: false, values: {}, malformed: [] })
      writeFileSync(join(dir, 'x.env'), 'A=1\nB\n')
      expect(readDotEnv(join(dir, 'x.env'))).toMatchObject({ found: true, values: { A: '1' }, malformed: [{ line: 2 }] })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('names are always one line, whatever the text (property)', () => {
    const line = fc.oneof(fc.string(), fc.constantFrom('export', '=', 'A="x', "B='y", 'C=`z', '#', 'NO EQUALS HERE', 'export X', '\r'))
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (ls) => {
        const p = parseDotEnvDetailed(ls.join('\n'))
        for (const k of Object.keys(p.values)) expect(k).toMatch(/^[A-Za-z_][A-Za-z0-9_.-]*$/)
        for (const m of p.malformed) expect(m.line).toBeGreaterThan(0)
        expect(parseDotEnv(ls.join('\n'))).toEqual(p.values)
      }),
      { numRuns: 1000 },
    )
  })

  it('30 000 lines and hostile unclosed quotes parse quickly', () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => `FILLER_${i}=${'x'.repeat(40)}`)
    const started = performance.now()
    expect(Object.keys(parseDotEnv(lines.join('\n'))).length).toBe(30_000)
    parseDotEnvDetailed('A="' + '\nB=1'.repeat(30_000))
    parseDotEnvDetailed(Array.from({ length: 10_000 }, () => 'A="\\"').join('\n'))
    expect(performance.now() - started).toBeLessThan(2000)
  })
})
