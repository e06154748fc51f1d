/**
 * The runner: every (check, target) pair in parallel under a concurrency cap, each with its own
 * deadline. A throw becomes status `error` with its reason, `ctx.skip` becomes `skipped`; neither
 * stops the others. Total time is bounded by the slowest deadline, not the sum.
 */
import type { AnyCheck, CheckContext, FindingInput } from './check.js'
import { SkipCheck } from './check.js'
import { reasonOf } from './errors.js'
import { ResourceCache } from './shared.js'
import type { CheckResult, Evidence, Finding, Observation, Target } from './types.js'
import type { MedicConfig } from '../config/schema.js'

export interface PlannedCheck {
  check: AnyCheck
  target: Target
}

export interface RunOptions {
  config: MedicConfig
  /** Default deadline per check, ms (a check's own `meta.timeoutMs` is used when smaller). */
  timeoutMs: number
  concurrency: number
  /** Called as each check starts and ends (progress on stderr). */
  onProgress?: (event: { done: number; total: number; result?: CheckResult; running: string[] }) => void
  now?: () => number
  signal?: AbortSignal
}

/** Options for one check on one target: defaults < global thresholds < target thresholds (by check id, then finding id). */
export function resolveOptions(check: AnyCheck, target: Target, config: MedicConfig): Record<string, unknown> {
  const layers = [config.thresholds, target.thresholds]
  const out: Record<string, unknown> = { ...check.meta.defaults }
  for (const layer of layers) {
    Object.assign(out, layer[check.meta.id] ?? {})
    for (const id of Object.keys(check.meta.findings)) Object.assign(out, layer[id] ?? {})
  }
  return out
}

function isDisabled(id: string, config: MedicConfig, target: Target): boolean {
  const targetDisable = (target.options.disable as string[] | undefined) ?? []
  return config.disable.includes(id) || targetDisable.includes(id)
}

export async function runOne(planned: PlannedCheck, opts: RunOptions, shared: ResourceCache): Promise<CheckResult> {
  const { check, target } = planned
  const now = opts.now ?? Date.now
  const started = performance.now()
  const deadlineMs = Math.min(opts.timeoutMs, check.meta.timeoutMs ?? Number.POSITIVE_INFINITY)
  const controller = new AbortController()
  const onOuterAbort = () => controller.abort(opts.signal?.reason)
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true })
  const findings: Finding[] = []
  const evidence: Evidence[] = []
  const observations: Record<string, Observation> = {}
  const endAt = started + deadlineMs

  const ctx: CheckContext = {
    target,
    config: opts.config,
    signal: controller.signal,
    remainingMs: () => Math.max(0, endAt - performance.now()),
    now,
    shared,
    finding(id: string, input: FindingInput) {
      const message = check.meta.findings[id]
      if (!message) throw new Error(`check ${check.meta.id} reported finding "${id}" that its meta does not declare`)
      if (isDisabled(id, opts.config, target)) return
      findings.push({
        id,
        severity: input.severity,
        target: target.id,
        title: input.title ?? message.title,
        evidence: input.evidence,
        fix: input.fix ?? message.fix,
        commands: input.commands ?? message.commands ?? [],
        ...(input.docs ?? message.docs ? { docs: input.docs ?? message.docs } : {}),
      })
    },
    observe(key, value) {
      observations[key] = value
    },
    ok(...items) {
      evidence.push(...items)
    },
    skip(reason: string): never {
      throw new SkipCheck(reason)
    },
  }

  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`deadline of ${deadlineMs} ms passed`))
      resolve('timeout')
    }, deadlineMs)
  })
  const base = { id: check.meta.id, target: target.id }
  try {
    const outcome = await Promise.race([
      check.run(ctx, resolveOptions(check, target, opts.config) as never).then(() => 'done' as const),
      deadline,
    ])
    const durationMs = Math.round(performance.now() - started)
    if (outcome === 'timeout') {
      // Findings reported before the deadline still count (a dead target is itself a finding).
      return { ...base, status: findings.length ? 'problem' : 'error', durationMs, reason: `timed out after ${deadlineMs} ms`, findings, evidence, observations }
    }
    return { ...base, status: findings.length ? 'problem' : 'ok', durationMs, findings, evidence, observations }
  } catch (err) {
    const durationMs = Math.round(performance.now() - started)
    if (err instanceof SkipCheck) return { ...base, status: 'skipped', durationMs, reason: err.reason, findings, evidence, observations }
    return { ...base, status: findings.length ? 'problem' : 'error', durationMs, reason: reasonOf(err), findings, evidence, observations }
  } finally {
    clearTimeout(timer)
    opts.signal?.removeEventListener('abort', onOuterAbort)
    if (!controller.signal.aborted) controller.abort(new Error('check finished'))
  }
}

/**
 * The order checks start in: round-robin across targets (first check of every target, then the
 * second...). The first check of a target usually opens its connection; with several dead
 * targets, their connects then time out together instead of one target's checks filling every
 * slot while the others queue — total time stays near one deadline, not one per target.
 */
export function startOrder(plan: PlannedCheck[]): number[] {
  const byTarget = new Map<string, number[]>()
  plan.forEach((p, i) => {
    const list = byTarget.get(p.target.id) ?? []
    list.push(i)
    byTarget.set(p.target.id, list)
  })
  const lists = [...byTarget.values()]
  const order: number[] = []
  for (let round = 0; order.length < plan.length; round++) for (const l of lists) if (round < l.length) order.push(l[round])
  return order
}

/** Run every planned check; results come back in plan order whatever order they finished in. */
export async function runChecks(plan: PlannedCheck[], opts: RunOptions): Promise<CheckResult[]> {
  const shared = new ResourceCache()
  const results: CheckResult[] = new Array(plan.length)
  const running = new Set<string>()
  const order = startOrder(plan)
  let next = 0
  let done = 0
  const worker = async () => {
    while (next < plan.length) {
      const i = order[next++]
      const p = plan[i]
      if (isDisabled(p.check.meta.id, opts.config, p.target)) {
        results[i] = { id: p.check.meta.id, target: p.target.id, status: 'skipped', durationMs: 0, reason: 'disabled in config', findings: [], evidence: [], observations: {} }
      } else {
        const label = `${p.check.meta.id}@${p.target.id}`
        running.add(label)
        opts.onProgress?.({ done, total: plan.length, running: [...running] })
        results[i] = await runOne(p, opts, shared)
        running.delete(label)
      }
      done++
      opts.onProgress?.({ done, total: plan.length, result: results[i], running: [...running] })
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, plan.length)) }, worker))
  } finally {
    await shared.disposeAll()
  }
  return results
}
