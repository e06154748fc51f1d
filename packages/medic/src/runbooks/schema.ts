/** The shape of a runbook YAML file (built-in ones in packages/medic/runbooks/, users' own alike). */
import { z } from 'zod'

/**
 * One piece of evidence a cause rests on:
 * - `finding: postgres.connections-saturated` (optionally `match: regex` on its title and evidence,
 *   and `severity: critical` for a minimum severity),
 * - `observation: "postgres.slots.usedPct >= 80"` (a fact a check recorded; bare key = truthy),
 * - `check: redis.memory` with `status: ok|problem|error|skipped`.
 */
export const pointSchema = z
  .object({
    finding: z.string().optional(),
    match: z.string().optional(),
    severity: z.enum(['info', 'warning', 'critical']).optional(),
    observation: z.string().optional(),
    check: z.string().optional(),
    status: z.enum(['ok', 'problem', 'error', 'skipped']).optional(),
    weight: z.number().min(0).max(1).default(0.7),
    /** What the point means, for people: "PostgreSQL has free slots". */
    detail: z.string().optional(),
  })
  .strict()
  .refine((p) => [p.finding, p.observation, p.check].filter(Boolean).length === 1, {
    message: 'each point names exactly one of finding, observation or check',
  })

export const causeSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'cause ids are kebab-case'),
    title: z.string(),
    supports: z.array(pointSchema).min(1),
    refutes: z.array(pointSchema).default([]),
    fix: z.string(),
    commands: z.array(z.string()).default([]),
  })
  .strict()

export const runbookSchema = z
  .object({
    // YAML reads `symptom: 503` and `aliases: [418]` as numbers: accept them as the names they are.
    symptom: z.union([z.string(), z.number()]).transform(String),
    aliases: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
    title: z.string(),
    /** Families or check ids the runbook runs (`postgres`, `redis.memory`). */
    checks: z.array(z.string()).min(1),
    causes: z.array(causeSchema).min(1),
  })
  .strict()

export type RunbookPoint = z.infer<typeof pointSchema>
export type RunbookCause = z.infer<typeof causeSchema>
export type RunbookData = z.infer<typeof runbookSchema>
