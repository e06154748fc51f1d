/** The shape of medic.yaml (see README "Config file"), validated with zod. */
import { z } from 'zod'
import { targetSchema } from './targets.js'

/** One object (not a union) so a mistyped key is named: `logs[0]: unknown key "fiel"`. */
export const logSourceSchema = z
  .object({ file: z.string().min(1).optional(), command: z.string().min(1).optional(), format: z.string().optional(), service: z.string().optional() })
  .strict()
  .refine((s) => (s.file === undefined) !== (s.command === undefined), { message: 'give exactly one of file: or command:' })

export const metricsSourceSchema = z.union([
  z.object({ url: z.string().url(), thresholds: z.record(z.string(), z.record(z.string(), z.unknown())).default({}) }).strict(),
  z
    .object({
      /** A Prometheus-compatible query API (Prometheus, Thanos, Mimir, VictoriaMetrics). */
      prometheus: z.string().url(),
      job: z.string().optional(),
      thresholds: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    })
    .strict(),
])

export const jwtSchema = z
  .object({
    secret: z.string().optional(),
    publicKey: z.string().optional().describe('PEM public key or certificate, or a JWK/JWKS (JSON): the text or a path to a file'),
    jwks: z.string().url().optional(),
    algorithms: z.array(z.string()).optional(),
    issuer: z.string().optional(),
    audience: z.union([z.string(), z.array(z.string())]).optional(),
    clockToleranceSeconds: z.number().nonnegative().default(0),
    /** Other keys the app may have used (old secret, staging key): tells "wrong key" apart. */
    otherSecrets: z.array(z.string()).default([]),
    /** A read-only query answering whether the subject is active, `$1` = sub. */
    subjectQuery: z.object({ target: z.string(), sql: z.string() }).strict().optional(),
    /** A token to check as part of `medic diagnose 401` (e.g. from a failing client). */
    token: z.string().optional(),
  })
  .strict()

export const authSchema = z
  .object({
    jwt: jwtSchema.optional(),
    apiKey: z
      .object({
        value: z.string().optional(),
        variable: z.string().optional(),
        pattern: z
          .string()
          .refine(
            (p) => {
              try {
                new RegExp(p)
                return true
              } catch {
                return false
              }
            },
            { message: 'is not a valid regular expression' },
          )
          .optional(),
        required: z.boolean().default(true),
      })
      .strict()
      .optional(),
    /** Per-route requirements for 403s: `"DELETE /admin/users": ["admin:*"]`. */
    routes: z.record(z.string(), z.array(z.string())).default({}),
  })
  .strict()

export const envSchema = z
  .object({
    file: z.string().default('.env'),
    required: z.array(z.string()).default([]),
    secrets: z.array(z.string()).default([]),
    compose: z.string().optional(),
    /** Variable naming the port the app listens on (PORT by default). */
    portVariable: z.string().default('PORT'),
  })
  .strict()

export const configSchema = z
  .object({
    environment: z.enum(['production', 'staging', 'development']).default('production'),
    targets: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'target ids use letters, digits, . _ -'), targetSchema).default({}),
    logs: z.array(logSourceSchema).default([]),
    metrics: z.array(metricsSourceSchema).default([]),
    auth: authSchema.optional(),
    env: envSchema.optional(),
    thresholds: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    disable: z.array(z.string()).default([]),
    /** Folder of the team's own runbooks (YAML, same shape as the built-in ones). */
    runbooks: z.string().optional(),
    /** Deploy markers for the timeline: `{ at: 2026-11-22T02:11:00Z, what: "v1.4.2" }`. */
    deploys: z.array(z.object({ at: z.string(), what: z.string() }).strict()).default([]),
    /** Default per-check deadline in milliseconds. */
    timeoutMs: z.number().int().positive().default(5000),
    /** Checks running at once. Most wait on the network; one connection per target is shared. */
    concurrency: z.number().int().positive().default(32),
  })
  .strict()
  .superRefine((config, ctx) => {
    // A process target must say which process (a discriminated union member cannot refine itself).
    for (const [id, t] of Object.entries(config.targets)) {
      if (t.kind === 'process' && !t.pid && !t.name && !t.port && !t.container) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['targets', id], message: 'a process target needs one of pid, name, port or container' })
      }
    }
  })

export type MedicConfig = z.infer<typeof configSchema>
export type { TargetConfig } from './targets.js'
