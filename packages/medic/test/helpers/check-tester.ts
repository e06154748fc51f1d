/**
 * CheckTester: run one check against a real (or locally served) target and enforce the contract:
 * every finding id is declared in meta and listed in FINDINGS.md, every finding carries evidence,
 * the fix is set, planted secrets never appear, and the check ends by its deadline.
 */
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import type { AnyCheck } from '../../src/engine/check.js'
import { runOne } from '../../src/engine/runner.js'
import { ResourceCache } from '../../src/engine/shared.js'
import type { CheckResult, Finding, Target } from '../../src/engine/types.js'
import { configSchema, type MedicConfig } from '../../src/config/schema.js'
import { targetSchema } from '../../src/config/targets.js'
import { buildRedactor, targetFromConfig } from '../../src/config/resolve.js'

const here = dirname(fileURLToPath(import.meta.url))
export const repoRoot = resolve(here, '../../../..')

let catalog: Set<string> | undefined
/** Finding ids listed in ../shared/FINDINGS.md (the public catalog). */
export function findingCatalog(): Set<string> {
  if (!catalog) {
    const path = resolve(repoRoot, '../shared/FINDINGS.md')
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (err) {
      // the catalog lives beside the checkout, not in it (CI puts it there)
      throw new Error(`the finding catalog ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? err}): check out ../shared beside this repository`)
    }
    catalog = new Set([...text.matchAll(/^\|\s*([a-z]+\.[a-z0-9-]+)\s*\|/gm)].map((m) => m[1]))
  }
  return catalog
}

export interface TesterOptions {
  /** Extra top-level config (environment, auth, env...). */
  config?: Record<string, unknown>
  /** Deadline for the check, ms (default 5000). */
  timeoutMs?: number
  /** Strings that must never appear in the result (passwords planted in DSNs...). */
  secrets?: string[]
  /** Target id (default `t`). */
  id?: string
  /** Shared resources, to reuse between checks in one test. */
  shared?: ResourceCache
  /** Use a synthetic target (env, auth, logs, metrics) instead of a `targets:` entry. */
  target?: Target
}

/** Validate a target config as medic.yaml would, run the check, and check the contract. */
export async function runCheck(check: AnyCheck, targetConfig: Record<string, unknown> | null, opts: TesterOptions = {}): Promise<CheckResult> {
  const config: MedicConfig = configSchema.parse({ ...(opts.config ?? {}), timeoutMs: opts.timeoutMs ?? 5000 })
  const target: Target = opts.target ?? targetFromConfig(opts.id ?? 't', targetSchema.parse(targetConfig), 'test')
  const timeoutMs = opts.timeoutMs ?? 5000
  const shared = opts.shared ?? new ResourceCache()
  const started = performance.now()
  const result = await runOne({ check, target }, { config, timeoutMs, concurrency: 1 }, shared)
  const elapsed = performance.now() - started
  if (!opts.shared) await shared.disposeAll()
  assertContract(check, result, { secrets: opts.secrets ?? [], elapsed, timeoutMs, redactor: buildRedactor(config, {}) })
  return result
}

export function assertContract(check: AnyCheck, result: CheckResult, o: { secrets: string[]; elapsed: number; timeoutMs: number; redactor?: unknown }) {
  const known = findingCatalog()
  for (const f of result.findings) {
    expect(Object.keys(check.meta.findings), `finding ${f.id} declared in meta`).toContain(f.id)
    expect(known.has(f.id), `finding ${f.id} listed in FINDINGS.md`).toBe(true)
    expect(f.evidence.length, `finding ${f.id} carries evidence`).toBeGreaterThan(0)
    expect(f.fix.length, `finding ${f.id} has a fix`).toBeGreaterThan(0)
  }
  const text = JSON.stringify(result)
  for (const s of o.secrets) expect(text, 'a planted secret leaked into the check result').not.toContain(s)
  // The runner's deadline plus a little slack for scheduling on a busy machine.
  expect(o.elapsed, 'check ended by its deadline').toBeLessThan(o.timeoutMs + 1500)
}

export function findingOf(result: CheckResult, id: string): Finding | undefined {
  return result.findings.find((f) => f.id === id)
}

/** Shorthand: the evidence of a finding as one string, for `toContain`/`toMatch`. */
export function evidenceText(f: Finding | undefined): string {
  return (f?.evidence ?? []).map((e) => `${e.label}: ${e.observed}${e.expected ? ` (expected ${e.expected})` : ''}`).join('\n')
}
