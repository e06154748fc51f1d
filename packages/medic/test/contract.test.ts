/**
 * The contract every check keeps (STYLE.md, ESLint-style parity): ids well formed, finding ids in
 * FINDINGS.md, a test file beside each check, a doc section per family, a README section per family.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { allChecks } from '../src/checks/index.js'
import { FINDING_IDS } from '../src/engine/finding-ids.js'
import { findingCatalog, repoRoot } from './helpers/check-tester.js'

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const checksDir = join(pkg, 'src/checks')
const families = readdirSync(checksDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)

describe('check contract', () => {
  it('the built-in finding id list equals FINDINGS.md', () => {
    expect([...FINDING_IDS].sort()).toEqual([...findingCatalog()].sort())
  })

  it('check ids are unique and look like family.name', () => {
    const ids = allChecks.map((c) => c.meta.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^[a-z]+\.[a-z0-9-]+$/)
  })

  it.each(allChecks.map((c) => [c.meta.id, c] as const))('%s declares only catalogued findings, with a title and a fix', (_id, check) => {
    expect(Object.keys(check.meta.findings).length).toBeGreaterThan(0)
    for (const [fid, msg] of Object.entries(check.meta.findings)) {
      expect(findingCatalog().has(fid), `${fid} is in FINDINGS.md`).toBe(true)
      expect(msg.title.length).toBeGreaterThan(0)
      expect(msg.fix.length).toBeGreaterThan(0)
    }
    expect(check.meta.description.length).toBeGreaterThan(10)
    expect(check.meta.targets.length).toBeGreaterThan(0)
  })

  it('every check file has its test beside it', () => {
    const missing: string[] = []
    for (const fam of families) {
      const files = readdirSync(join(checksDir, fam))
      for (const f of files) {
        if (!f.endsWith('.ts') || f.includes('.test.') || f === 'index.ts') continue
        const src = readFileSync(join(checksDir, fam, f), 'utf8')
        if (!/defineCheck\(/.test(src)) continue // helpers (connection, classify...) are tested through their checks
        const base = f.replace(/\.ts$/, '')
        if (!files.some((t) => t === `${base}.test.ts` || t === `${base}.live.test.ts`)) missing.push(`${fam}/${f}`)
      }
    }
    expect(missing).toEqual([])
  })

  it('README.md check sections equal packages/medic/docs/checks (scripts/readme-checks.mjs)', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts/readme-checks.mjs'), '--check'], { encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
  })

  it('every family with checks has its doc and its README section', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
    const withChecks = [...new Set(allChecks.map((c) => c.meta.id.split('.')[0]))]
    for (const fam of withChecks) {
      const folder = families.find((f) => allChecks.some((c) => c.meta.id.startsWith(`${fam}.`) && existsSync(join(checksDir, f))))
      expect(folder).toBeDefined()
      expect(readme, `README has a section for ${fam}`).toMatch(new RegExp(`^#{2,4} .*\\b${fam}\\b`, 'im'))
    }
  })
})
