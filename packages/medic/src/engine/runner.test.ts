import { describe, expect, it } from 'vitest'
import { defineCheck, type AnyCheck } from './check.js'
import { runChecks } from './runner.js'
import type { Target } from './types.js'
import { configSchema } from '../config/schema.js'

const target: Target = { id: 'db', kind: 'postgres', address: 'postgres://x', options: {}, thresholds: {}, source: 'test' }
const config = configSchema.parse({})

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(t)
      reject(signal.reason)
    })
  })

function fake(id: string, run: AnyCheck['run'], extra: Partial<AnyCheck['meta']> = {}): AnyCheck {
  return defineCheck({
    meta: {
      id,
      title: id,
      targets: ['postgres'],
      description: 'test check',
      defaults: { limit: 10 },
      findings: { 'postgres.idle-in-transaction': { title: 'Idle in transaction', fix: 'end the transaction' } },
      ...extra,
    },
    run,
  })
}

describe('runner', () => {
  it('runs checks in parallel: total time is the slowest, not the sum', async () => {
    const slow = (id: string) => fake(id, async (ctx) => sleep(300, ctx.signal))
    const t0 = performance.now()
    const results = await runChecks(
      ['a', 'b', 'c', 'd'].map((id) => ({ check: slow(`t.${id}`), target })),
      { config, timeoutMs: 5000, concurrency: 8 },
    )
    const took = performance.now() - t0
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok'])
    expect(took).toBeLessThan(1100) // four 300 ms checks in series would take 1200 ms
  })

  it('starts checks round-robin across targets, so dead targets time out together', async () => {
    const targets = ['a', 'b', 'c'].map((id) => ({ ...target, id }))
    // Each target: a connect that hangs until the deadline, then checks that need it.
    const connect = fake('t.connect', async (ctx) => {
      await ctx.shared.get(`conn:${ctx.target.id}`, () => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('no answer')))))
    })
    const plan = targets.flatMap((t) => [connect, connect, connect].map((check) => ({ check, target: t })))
    const t0 = performance.now()
    const results = await runChecks(plan, { config, timeoutMs: 300, concurrency: 3 })
    // With three slots filled target by target this took three deadlines; round-robin takes one.
    expect(performance.now() - t0).toBeLessThan(800)
    expect(results.map((r) => r.target)).toEqual(['a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'c'])
  })

  it('caps concurrency', async () => {
    let running = 0
    let peak = 0
    const check = fake('t.cap', async () => {
      running++
      peak = Math.max(peak, running)
      await sleep(30)
      running--
    })
    await runChecks(Array.from({ length: 10 }, () => ({ check, target })), { config, timeoutMs: 5000, concurrency: 3 })
    expect(peak).toBe(3)
  })

  it('turns a throw into status error with its reason, a skip into skipped, and the others go on', async () => {
    const results = await runChecks(
      [
        { check: fake('t.throws', async () => { throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) }), target },
        { check: fake('t.skips', async (ctx) => ctx.skip('pg_stat_statements is not installed')), target },
        {
          check: fake('t.finds', async (ctx) => {
            ctx.finding('postgres.idle-in-transaction', { severity: 'warning', evidence: [{ label: 'oldest', observed: '75 s', expected: '< 60 s' }] })
          }),
          target,
        },
      ],
      { config, timeoutMs: 5000, concurrency: 4 },
    )
    expect(results[0]).toMatchObject({ status: 'error', reason: 'connect ECONNREFUSED 127.0.0.1:1' })
    expect(results[1]).toMatchObject({ status: 'skipped', reason: 'pg_stat_statements is not installed' })
    expect(results[2].status).toBe('problem')
    expect(results[2].findings[0]).toMatchObject({ id: 'postgres.idle-in-transaction', severity: 'warning', target: 'db', fix: 'end the transaction' })
  })

  it('aborts a hung check at its deadline and says so', async () => {
    let aborted = false
    const hung = fake('t.hung', async (ctx) => {
      ctx.signal.addEventListener('abort', () => (aborted = true))
      await new Promise(() => {}) // never settles, like a blackholed socket without a timeout
    })
    const t0 = performance.now()
    const [r] = await runChecks([{ check: hung, target }], { config, timeoutMs: 200, concurrency: 1 })
    expect(performance.now() - t0).toBeLessThan(700)
    expect(r).toMatchObject({ status: 'error', reason: 'timed out after 200 ms' })
    expect(aborted).toBe(true)
  })

  it('uses the smaller of the run deadline and the check meta timeout', async () => {
    const check = fake('t.meta', async (ctx) => sleep(2000, ctx.signal), { timeoutMs: 100 })
    const [r] = await runChecks([{ check, target }], { config, timeoutMs: 5000, concurrency: 1 })
    expect(r.reason).toBe('timed out after 100 ms')
  })

  it('rejects a finding the check did not declare (contract)', async () => {
    const check = fake('t.undeclared', async (ctx) => ctx.finding('redis.oom', { severity: 'critical', evidence: [] }))
    const [r] = await runChecks([{ check, target }], { config, timeoutMs: 1000, concurrency: 1 })
    expect(r.status).toBe('error')
    expect(r.reason).toContain('does not declare')
  })

  it('resolves options: defaults < config thresholds by check id < by finding id < target thresholds', async () => {
    const seen: unknown[] = []
    const check = fake('t.opts', async (_ctx, o) => void seen.push(o))
    const cfg = configSchema.parse({ thresholds: { 't.opts': { limit: 20, a: 1 }, 'postgres.idle-in-transaction': { b: 2 } } })
    await runChecks([{ check, target: { ...target, thresholds: { 't.opts': { limit: 30 } } } }], { config: cfg, timeoutMs: 1000, concurrency: 1 })
    expect(seen[0]).toEqual({ limit: 30, a: 1, b: 2 })
  })

  it('skips disabled checks and drops disabled findings', async () => {
    const finds = fake('t.finds2', async (ctx) => ctx.finding('postgres.idle-in-transaction', { severity: 'warning', evidence: [{ label: 'x', observed: 'y' }] }))
    const cfg = configSchema.parse({ disable: ['t.other', 'postgres.idle-in-transaction'] })
    const results = await runChecks(
      [
        { check: fake('t.other', async () => {}), target },
        { check: finds, target },
      ],
      { config: cfg, timeoutMs: 1000, concurrency: 2 },
    )
    expect(results[0]).toMatchObject({ status: 'skipped', reason: 'disabled in config' })
    expect(results[1]).toMatchObject({ status: 'ok', findings: [] })
  })

  it('shares one resource per key between checks and disposes it at the end', async () => {
    let created = 0
    let disposed = 0
    const use = fake('t.shared', async (ctx) => {
      await ctx.shared.get('pool:db', async () => ++created, () => void disposed++)
    })
    await runChecks(Array.from({ length: 5 }, () => ({ check: use, target })), { config, timeoutMs: 1000, concurrency: 5 })
    expect(created).toBe(1)
    expect(disposed).toBe(1)
  })
})
